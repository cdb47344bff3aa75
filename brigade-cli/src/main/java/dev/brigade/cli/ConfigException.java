package dev.brigade.cli;

/**
 * A config file the server cannot use: the message names the file, the line and the key
 * ({@code brigade.yaml:7: hosts[1].root: /srv/nope is not a directory}) and is the whole report.
 */
final class ConfigException extends Exception {

    ConfigException(String message) {
        super(message, null, false, false);
    }
}
