package dev.brigade.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Maps decoded path segments to a file under the root, refusing every way out.
 *
 * <p>Before any file system call, a segment is refused if it is {@code .} or {@code ..} (they can
 * only be here if they were percent-encoded), holds a {@code /}, a backslash or NUL, or is a
 * dot-file while hidden files are off. After resolving, the real path (all symbolic links
 * followed) must still lie under the root's real path, unless links out are allowed, and must not
 * pass through a hidden name inside the root either.
 */
final class PathMapper {

    private final Path root;
    private final Path realRoot;
    private final boolean showHidden;
    private final boolean symlinksOutside;

    PathMapper(Path root, boolean showHidden, boolean symlinksOutside) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.realRoot = this.root.toRealPath();
        if (!Files.isDirectory(realRoot)) {
            throw new IOException("not a directory: " + root);
        }
        this.showHidden = showHidden;
        this.symlinksOutside = symlinksOutside;
    }

    Path realRoot() {
        return realRoot;
    }

    /** Whether a segment may be looked up at all. */
    boolean allowed(String segment) {
        if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
            return false;
        }
        if (segment.indexOf('/') >= 0 || segment.indexOf('\\') >= 0 || segment.indexOf('\0') >= 0) {
            return false;
        }
        return showHidden || segment.charAt(0) != '.';
    }

    /**
     * Whether an entry found in a directory may be shown in a listing: only what a request for it
     * would fetch (its name allowed, and its real path under the root unless links out are on).
     */
    boolean listable(Path entry) {
        return allowed(entry.getFileName().toString()) && within(entry);
    }

    private boolean within(Path entry) {
        if (!Files.isSymbolicLink(entry)) {
            return true; // found by listing a directory that is itself inside the root
        }
        try {
            Path real = entry.toRealPath();
            if (!real.startsWith(realRoot)) {
                return symlinksOutside;
            }
            if (!showHidden) {
                for (Path name : realRoot.relativize(real)) {
                    if (name.toString().startsWith(".")) {
                        return false; // a link inside the root to a hidden file
                    }
                }
            }
            return true;
        } catch (IOException | SecurityException e) {
            return false; // dangling
        }
    }

    /** The real path of the file or directory the segments name, or null if refused or absent. */
    Path resolve(List<String> segments) {
        Path p = root;
        for (String s : segments) {
            if (!allowed(s)) {
                return null;
            }
            p = p.resolve(s);
        }
        Path real;
        try {
            real = p.toRealPath();
        } catch (IOException | SecurityException e) {
            return null;
        }
        if (real.startsWith(realRoot)) {
            if (!showHidden) {
                for (Path name : realRoot.relativize(real)) {
                    if (name.toString().startsWith(".")) {
                        return null; // a link inside the root to a hidden file
                    }
                }
            }
            return real;
        }
        return symlinksOutside ? real : null;
    }
}
