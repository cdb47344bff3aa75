package dev.brigade.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Reads {@code brigade.yaml}. Its top-level keys are {@code brigade serve}'s long options without
 * the dashes ({@code port: 8080}, {@code bridge: pool:8:64}, {@code cache-control: {GLOB: VALUE}}),
 * so the file covers everything the command line does and goes through the same converters; the
 * one key of its own is {@code hosts:}, the virtual hosts. Relative paths are taken from the
 * file's directory. Every error names the file, the line and the key.
 *
 * <p>The file is turned into the arguments it stands for, and the command line's own options are
 * applied after them: a flag given with {@code --config} wins over the file.
 */
final class ConfigFile {

    /** Options that make no sense inside the file. */
    private static final Set<String> NOT_IN_FILE = Set.of("config", "help", "version");
    private static final String KEYS_ARE = "keys are serve's long options without '--', and 'hosts'";

    private final Path file;
    private final Path dir;
    private final CommandLine.Model.CommandSpec serve = new CommandLine(new ServeCommand()).getCommandSpec();
    private final List<String> args = new ArrayList<>();
    private final Map<String, Integer> lineOfKey = new HashMap<>();
    private final List<HostConfig> hosts = new ArrayList<>();

    private ConfigFile(Path file) {
        this.file = file;
        Path parent = file.toAbsolutePath().getParent();
        this.dir = parent == null ? Path.of(".") : parent;
    }

    /** serve's settings from {@code file}, with {@code overrides} (command-line arguments) applied on top. */
    static ServeCommand load(Path file, List<String> overrides) throws ConfigException {
        ConfigFile cf = new ConfigFile(file);
        cf.read();
        ServeCommand settings = new ServeCommand();
        CommandLine cl = new CommandLine(settings).setOverwrittenOptionsAllowed(true);
        List<String> all = new ArrayList<>(cf.args);
        all.addAll(overrides);
        try {
            cl.parseArgs(all.toArray(String[]::new));
            settings.check(); // options that go together, directories that must exist: the file's line too
        } catch (ParameterException e) {
            throw cf.explain(e, overrides);
        }
        settings.configFile = file;
        settings.hosts = List.copyOf(cf.hosts);
        return settings;
    }

    /** A picocli error about a value from the file, as the file's line; one from the command line as it is. */
    private ConfigException explain(ParameterException e, List<String> overrides) {
        if (e.getArgSpec() instanceof OptionSpec opt) {
            String key = opt.longestName().substring(2);
            Integer line = lineOfKey.get(key);
            if (line != null && !overrides.contains(opt.longestName())) {
                // picocli says "Invalid value for option '--port' (PORT): why"; the file's line says "port: why"
                String why = e.getMessage().replaceFirst("^Invalid value for option '[^']+'( \\([^)]*\\))?: ", "");
                return error(line, key, why);
            }
        }
        throw e;
    }

    private void read() throws ConfigException {
        try (JsonParser p = new YAMLFactory().createParser(Files.newBufferedReader(file))) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return; // an empty file: every default
            }
            if (first != JsonToken.START_OBJECT) {
                throw error(line(p), "", "the file must be a mapping of keys to values (" + KEYS_ARE + ")");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                int line = line(p);
                JsonToken value = p.nextToken();
                if (lineOfKey.putIfAbsent(key, line) != null) {
                    throw error(line, key, "given twice (first on line " + lineOfKey.get(key) + ")");
                }
                if (key.equals("hosts")) {
                    readHosts(p, value);
                } else {
                    readOption(p, key, line, value);
                }
            }
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (JsonProcessingException e) {
            throw yamlError(e);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
    }

    /**
     * A YAML syntax error as one line: SnakeYAML's message spans several (context, the line quoted,
     * a caret); its problem and the line it points at are what an operator needs.
     */
    private ConfigException yamlError(JsonProcessingException e) {
        int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
        String why = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException m) {
                why = m.getProblem();
                if (m.getProblemMark() != null) {
                    line = m.getProblemMark().getLine() + 1;
                }
                if (m.getContext() != null && why != null) {
                    why = why + " (" + m.getContext() + ")";
                }
                break;
            }
        }
        if (why == null) {
            why = String.valueOf(e.getOriginalMessage());
        }
        why = why.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("syntax error");
        return new ConfigException(file + ":" + line + ": not valid YAML: " + why);
    }

    private void readOption(JsonParser p, String key, int line, JsonToken value) throws IOException, ConfigException {
        OptionSpec opt = serve.findOption("--" + key);
        if (opt == null || !opt.longestName().equals("--" + key) || NOT_IN_FILE.contains(key)) {
            throw error(line, key, "unknown key (" + KEYS_ARE + ")");
        }
        String flag = "--" + key;
        if (opt.typeInfo().isBoolean()) {
            if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
                throw error(line, key, "expects true or false");
            }
            if (value == JsonToken.VALUE_TRUE) {
                args.add(flag);
            }
        } else if (opt.isMultiValue() && value == JsonToken.START_ARRAY) {
            while (p.nextToken() != JsonToken.END_ARRAY) {
                args.add(flag);
                args.add(scalar(p, key));
            }
        } else if (opt.isMultiValue() && value == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                p.nextToken();
                args.add(flag);
                args.add(k + "=" + scalar(p, key + "." + k));
            }
        } else {
            String v = scalar(p, key);
            args.add(flag);
            args.add(isPath(opt, v) ? dir.resolve(v).toString() : v);
        }
    }

    /** Whether the option names a file or directory (relative ones are taken from the file's directory). */
    private static boolean isPath(OptionSpec opt, String value) {
        if (opt.type() == Path.class) {
            return true;
        }
        return opt.longestName().equals("--access-log") && !value.equals("-") && !value.equalsIgnoreCase("off");
    }

    private void readHosts(JsonParser p, JsonToken value) throws IOException, ConfigException {
        if (value != JsonToken.START_ARRAY) {
            throw error(line(p), "hosts", "expects a list of hosts (- names: [...], root: DIR)");
        }
        Set<String> allNames = new HashSet<>();
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            String where = "hosts[" + i + "]";
            int hostLine = line(p);
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw error(hostLine, where, "expects a mapping (names, root, bridge, cache-control, listing, index)");
            }
            HostConfig host = readHost(p, where, hostLine);
            for (String n : host.names()) {
                if (!allNames.add(n)) {
                    throw error(hostLine, where + ".names", "'" + n + "' names another host too");
                }
            }
            hosts.add(host);
        }
    }

    private HostConfig readHost(JsonParser p, String where, int hostLine) throws IOException, ConfigException {
        List<String> names = new ArrayList<>();
        List<String> cacheControl = new ArrayList<>();
        Path root = null;
        String bridge = null;
        Boolean listing = null;
        String index = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            String at = where + "." + key;
            int line = line(p);
            JsonToken value = p.nextToken();
            try {
                switch (key) {
                    case "names" -> {
                        if (value == JsonToken.START_ARRAY) {
                            while (p.nextToken() != JsonToken.END_ARRAY) {
                                names.add(hostName(scalar(p, at)));
                            }
                        } else {
                            names.add(hostName(scalar(p, at)));
                        }
                    }
                    case "root" -> {
                        root = dir.resolve(scalar(p, at));
                        if (!Files.isDirectory(root)) {
                            throw new CommandLine.TypeConversionException(root + " is not a directory");
                        }
                    }
                    case "bridge" -> bridge = new Values.BridgeKind().convert(scalar(p, at));
                    case "listing" -> {
                        if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
                            throw new CommandLine.TypeConversionException("expects true or false");
                        }
                        listing = value == JsonToken.VALUE_TRUE;
                    }
                    case "index" -> index = new Values.FileName().convert(scalar(p, at));
                    case "cache-control" -> {
                        if (value != JsonToken.START_OBJECT) {
                            throw new CommandLine.TypeConversionException("expects a mapping of GLOB: VALUE");
                        }
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String glob = p.currentName();
                            p.nextToken();
                            cacheControl.add(new Values.CacheControlRule().convert(glob + "=" + scalar(p, at + "." + glob)));
                        }
                    }
                    default -> throw new CommandLine.TypeConversionException(
                            "unknown key (a host has names, root, bridge, cache-control, listing, index)");
                }
            } catch (CommandLine.TypeConversionException e) {
                throw error(line, at, e.getMessage());
            }
        }
        if (names.isEmpty()) {
            throw error(hostLine, where, "needs names: [host.example.com, ...]");
        }
        if (root == null) {
            throw error(hostLine, where, "needs root: DIR");
        }
        return new HostConfig(names, root, bridge, cacheControl, listing, index);
    }

    /** A host name as the Host header carries it, compared in lower case. */
    private static String hostName(String name) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        if (!n.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
            throw new CommandLine.TypeConversionException("'" + name + "' is not a host name");
        }
        return n;
    }

    /** The text of a scalar value; a list, a mapping or nothing is an error naming {@code key}. */
    private String scalar(JsonParser p, String key) throws IOException, ConfigException {
        JsonToken t = p.currentToken();
        if (t == null || !t.isScalarValue() || t == JsonToken.VALUE_NULL) {
            throw error(line(p), key, t == JsonToken.VALUE_NULL ? "has no value" : "expects a single value");
        }
        return p.getText();
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }

    private ConfigException error(int line, String key, String message) {
        return new ConfigException(file + ":" + line + ": " + (key.isEmpty() ? "" : key + ": ") + message);
    }
}
