-- A working set of files: every request asks for one of FILES files picked at random,
-- /static/f0.txt .. /static/f<FILES-1>.txt (FILES is the first script argument, default 100):
--   wrk -t2 -c64 -d8s -s random-files.lua http://127.0.0.1:PORT/ -- 100
-- Each wrk thread seeds its own generator, so the threads do not ask for the same sequence.
local files = 100
local counter = 0

setup = function(thread)
  counter = counter + 1
  thread:set("seed", counter * 7919)
end

init = function(args)
  files = tonumber(args[1]) or 100
  math.randomseed((seed or 1) + os.time())
end

request = function()
  return wrk.format("GET", "/static/f" .. math.random(0, files - 1) .. ".txt")
end
