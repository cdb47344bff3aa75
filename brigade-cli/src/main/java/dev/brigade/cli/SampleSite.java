package dev.brigade.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The sample site bundled in the jar, copied to a temporary directory at start so that it is
 * served by the same static-file module as any {@code --root}.
 */
final class SampleSite {

    private static final List<String> FILES = List.of("index.html", "style.css", "about.html", "robots.txt");

    private SampleSite() {
    }

    /**
     * The sample home page ({@code /} and {@code /index.html}), its examples naming the address the
     * browser used (the Host header, escaped), so they work on any port and behind any mapping.
     */
    static dev.brigade.api.Handler home() throws IOException {
        String template;
        try (InputStream in = SampleSite.class.getResourceAsStream("site/index.html")) {
            if (in == null) {
                throw new IOException("sample site file missing from the jar: index.html");
            }
            template = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        return (req, res) -> {
            String host = req.header("Host");
            String origin = req.scheme() + "://" + (host == null || host.isBlank() ? "localhost" : host);
            res.contentType("text/html; charset=utf-8").send(template.replace("{{origin}}", escapeHtml(origin)));
        };
    }

    private static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;");
    }

    static Path extract() throws IOException {
        Path dir = Files.createTempDirectory("brigade-site-");
        for (String name : FILES) {
            try (InputStream in = SampleSite.class.getResourceAsStream("site/" + name)) {
                if (in == null) {
                    throw new IOException("sample site file missing from the jar: " + name);
                }
                Files.copy(in, dir.resolve(name));
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (var files = Files.list(dir)) {
                files.forEach(f -> {
                    try {
                        Files.deleteIfExists(f);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                Files.deleteIfExists(dir);
            } catch (IOException | UncheckedIOException e) {
                // a temporary directory left behind is harmless
            }
        }));
        return dir;
    }
}
