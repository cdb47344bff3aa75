package dev.brigade.filter;

import java.io.IOException;

/**
 * A file region could not be sent whole because its file ended early: it shrank after the
 * response promised its length (a deploy copying over it). The response cannot be completed, so
 * the connection closes; the operator should hear of it, unlike a client that went away.
 */
public final class FileTruncatedException extends IOException {

    public FileTruncatedException(long position, long missing) {
        super("file ended at byte " + position + ", " + missing + " bytes short of its region (it shrank while being sent)");
    }
}
