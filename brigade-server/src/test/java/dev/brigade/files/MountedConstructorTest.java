package dev.brigade.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.brigade.testing.RawClient;
import dev.brigade.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The short constructor gets the same defaults (memory cache included) as the builder. */
class MountedConstructorTest {

    @Test
    void theShortConstructorServesUnderItsMountPrefix(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("1k.txt"), "x".repeat(1024));
        try (StaticFiles files = new StaticFiles(root, "/static/"); // closing it frees its cached pages
             TestServer ts = TestServer.start(b -> b.get("/static/*", files));
             RawClient c = ts.connect()) {
            for (int i = 0; i < 3; i++) { // a miss, then hits from the memory cache
                var m = c.send("GET /static/1k.txt HTTP/1.1\r\nHost: t\r\n\r\n").readResponse();
                assertThat(m.status()).isEqualTo(200);
                assertThat(m.bodyText()).hasSize(1024);
            }
            assertThat(c.send("GET /static/none.txt HTTP/1.1\r\nHost: t\r\n\r\n").readResponse().status()).isEqualTo(404);
        }
    }
}
