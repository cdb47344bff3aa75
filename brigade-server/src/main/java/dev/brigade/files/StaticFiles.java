package dev.brigade.files;

import dev.brigade.api.Handler;
import dev.brigade.api.Request;
import dev.brigade.api.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Serves the files under a root directory: GET and HEAD, {@code index.html} for directories (with
 * a redirect adding the trailing slash), sendfile for the content.
 *
 * <p>The root cannot be escaped: the decoded path is split into segments, and {@code ..}, empty
 * and dot-file segments, NUL and backslashes are refused before any file system call; the
 * resolved real path (symbolic links followed) must still lie under the root's real path.
 *
 * <p>Not yet here (see the static-files issue): validators and conditional requests, ranges,
 * the memory cache, precompressed variants, directory listings.
 */
public final class StaticFiles implements Handler {

    private final Path root;
    private final Path realRoot;
    private final String mountPrefix;

    /**
     * @param root the directory to serve
     * @param mountPrefix the request path prefix that maps to the root, e.g. {@code /static/} or {@code /}
     */
    public StaticFiles(Path root, String mountPrefix) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.realRoot = this.root.toRealPath();
        if (!Files.isDirectory(realRoot)) {
            throw new IOException("not a directory: " + root);
        }
        this.mountPrefix = mountPrefix.endsWith("/") ? mountPrefix : mountPrefix + "/";
    }

    @Override
    public void handle(Request request, Response response) throws IOException {
        String method = request.method();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.header("Allow", "GET, HEAD, OPTIONS");
            if (method.equals("OPTIONS")) {
                response.status(204).send();
            } else {
                response.status(405).send("405 Method Not Allowed\n");
            }
            return;
        }
        String path = request.path();
        if (!(path + "/").startsWith(mountPrefix)) {
            notFound(response);
            return;
        }
        Path file = resolve(path.substring(Math.min(path.length(), mountPrefix.length())));
        if (file == null) {
            notFound(response);
            return;
        }
        if (Files.isDirectory(file)) {
            if (!path.endsWith("/")) {
                String query = request.query().isEmpty() ? "" : "?" + request.query();
                response.status(301).header("Location", encodePath(path) + "/" + query).send("Moved\n");
                return;
            }
            file = file.resolve("index.html");
            if (!Files.isRegularFile(file)) {
                notFound(response);
                return;
            }
        }
        response.contentType(MimeTypes.forName(file.getFileName().toString()));
        response.sendFile(file);
    }

    /** The file for a path relative to the root, or null if the path is not allowed or not there. */
    Path resolve(String relative) throws IOException {
        if (relative.indexOf('\0') >= 0 || relative.indexOf('\\') >= 0) {
            return null;
        }
        List<String> segments = List.of(relative.split("/", -1));
        Path p = root;
        for (int i = 0; i < segments.size(); i++) {
            String s = segments.get(i);
            if (s.isEmpty()) {
                if (i == segments.size() - 1) {
                    continue; // a trailing slash
                }
                return null;
            }
            if (s.startsWith(".")) {
                return null; // "..", "." and hidden files alike
            }
            p = p.resolve(s);
        }
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.exists(p)) {
            return null;
        }
        Path real;
        try {
            real = p.toRealPath();
        } catch (IOException e) {
            return null;
        }
        return real.startsWith(realRoot) && Files.isReadable(real) ? real : null;
    }

    private static void notFound(Response response) {
        response.status(404).send("404 Not Found\n");
    }

    private static String encodePath(String path) {
        var sb = new StringBuilder();
        for (byte b : path.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && c != '%' && c != '?' && c != '#' && c != '"' && c != '<' && c != '>') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }
}
