package dev.brigade.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/**
 * Something in the operator's environment keeps the server from starting (a port in use, a
 * directory that does not exist, a permission): its message is the one line printed, exit 1.
 */
final class StartupException extends Exception {

    StartupException(String message) {
        super(message, null, false, false);
    }

    /** Why an I/O operation failed, in words rather than an exception's name. */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.net.BindException) {
            String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (m.contains("in use")) {
                return "the address is already in use (another server on that port?)";
            }
            if (m.contains("permission") || m.contains("access")) {
                return "permission denied (ports below 1024 need privileges)";
            }
            if (m.contains("assign")) {
                return "no interface of this machine has that address";
            }
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
