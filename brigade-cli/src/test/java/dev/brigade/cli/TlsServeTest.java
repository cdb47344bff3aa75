package dev.brigade.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `brigade serve` with HTTPS, as an operator runs it: a real process, curl as the client. */
class TlsServeTest {

    private static Process launch(String... args) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                "dev.brigade.cli.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    @Test
    void selfSignedServesHttpsThatCurlTrustsWithThePrintedCertificateAndRedirectsPlainHttp() throws Exception {
        Process p = launch("serve", "--port", "0", "--https-port", "0", "--bind", "127.0.0.1", "--access-log", "off",
                "--self-signed", "--redirect-https", "--hsts", "600");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Pattern banner = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/; HTTPS on https://127\\.0\\.0\\.1:(\\d+)/");
            Pattern certLine = Pattern.compile("self-signed certificate for localhost: (\\S+\\.pem)");
            String plainPort = null;
            String httpsPort = null;
            String pem = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String line;
            while (pem == null && System.nanoTime() < deadline && (line = out.readLine()) != null) {
                Matcher m = banner.matcher(line);
                if (m.find()) {
                    plainPort = m.group(1);
                    httpsPort = m.group(2);
                }
                Matcher c = certLine.matcher(line);
                if (c.find()) {
                    pem = c.group(1);
                }
            }
            assertThat(httpsPort).as("the banner names the HTTPS URL").isNotNull();
            assertThat(pem).as("the certificate's file is printed").isNotNull();
            Thread.ofVirtual().start(() -> out.lines().forEach(l -> { }));

            String body = curl("--cacert", pem, "https://localhost:" + httpsPort + "/hello",
                    "--resolve", "localhost:" + httpsPort + ":127.0.0.1", "-D", "-");
            assertThat(body).contains("HTTP/1.1 200").containsIgnoringCase("strict-transport-security: max-age=600")
                    .contains("Hello, World!");
            String redirect = curl("-D", "-", "-o", "/dev/null", "http://127.0.0.1:" + plainPort + "/hello");
            assertThat(redirect).contains("HTTP/1.1 301").contains("Location: https://127.0.0.1:" + httpsPort + "/hello");
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
            p.destroyForcibly();
        }
    }

    @Test
    void anUnusableCertificateIsOneLineAndExit1(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "not a certificate\n");
        Path key = Files.writeString(dir.resolve("key.pem"), "not a key\n");
        Process p = launch("serve", "--port", "0", "--https-port", "0", "--bind", "127.0.0.1",
                "--tls-cert", cert.toString(), "--tls-key", key.toString());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(output.lines().filter(l -> l.startsWith("brigade: ")).toList()).hasSize(1);
        assertThat(output).contains("key.pem").doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void aPemCertificateWithoutItsKeyIsAUsageError(@TempDir Path dir) throws Exception {
        Path cert = Files.writeString(dir.resolve("cert.pem"), "x\n");
        Process p = launch("serve", "--port", "0", "--tls-cert", cert.toString());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(output).contains("add --tls-key").doesNotContain("\tat ");
    }

    private static String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
