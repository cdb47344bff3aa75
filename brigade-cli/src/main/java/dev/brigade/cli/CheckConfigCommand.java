package dev.brigade.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code brigade check-config FILE} (nginx's {@code -t}): reads the file as {@code serve --config}
 * would, builds everything short of listening (directories, bridges, certificates), prints one
 * line and exits 0 if the server would start with it, or the first error (file:line: key: why) and 1.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Check a config file for brigade serve --config and exit: 0 if it is usable, 1 with the first error.")
final class CheckConfigCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "The YAML config file.")
    Path file;

    @Override
    public Integer call() throws Exception {
        ServeCommand s = ConfigFile.load(file, List.of());
        s.check();
        SiteAssembly assembly = new SiteAssembly(s, s.root == null ? SampleSite.extract() : null, new Health(), () -> null, null);
        assembly.checkTls();
        assembly.builder(null).build();
        System.out.println("brigade: " + file + ": valid (port " + s.port + (s.hosts.isEmpty() ? "" : ", hosts "
                + String.join(", ", s.hosts.stream().map(h -> h.names().getFirst()).toList())) + ")");
        return 0;
    }
}
