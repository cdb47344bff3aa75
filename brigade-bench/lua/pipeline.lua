-- wrk script: every write carries `depth` requests back to back (TechEmpower's pipelined plaintext);
-- depth is the first script argument: wrk ... -s pipeline.lua URL -- 16
init = function(args)
  local depth = tonumber(args[1]) or 1
  local batch = {}
  for i = 1, depth do
    batch[i] = wrk.format()
  end
  batch_text = table.concat(batch)
end

request = function()
  return batch_text
end
