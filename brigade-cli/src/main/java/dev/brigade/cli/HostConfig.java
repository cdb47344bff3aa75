package dev.brigade.cli;

import java.nio.file.Path;
import java.util.List;

/**
 * One virtual host of the config file's {@code hosts:} list: the names it answers to (the first is
 * its name, the others aliases), the directory it serves, and what it overrides of the server-wide
 * settings (null: inherited).
 *
 * @param bridge where its handlers run ({@code --bridge} syntax), or null for the server's
 * @param cacheControl {@code GLOB=VALUE} rules, added to the server-wide ones
 */
record HostConfig(List<String> names, Path root, String bridge, List<String> cacheControl, Boolean listing,
                  String index) {

    HostConfig {
        names = List.copyOf(names);
        cacheControl = List.copyOf(cacheControl);
    }
}
