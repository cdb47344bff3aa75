package dev.brigade.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A served site under a temporary directory, with a secret beside it (outside the root) that no
 * request may ever reach, and the kinds of names a static server meets.
 */
final class SiteFixture {

    static final String SECRET = "TOP-SECRET-0xC0FFEE";

    final Path base;
    final Path root;
    final byte[] big;

    SiteFixture(Path base) throws IOException {
        this.base = base;
        this.root = Files.createDirectories(base.resolve("www"));
        Files.writeString(base.resolve("secret.txt"), SECRET);
        Files.createDirectories(base.resolve("www-evil"));
        Files.writeString(base.resolve("www-evil/x.txt"), SECRET); // a sibling whose name starts like the root
        write("index.html", "<!DOCTYPE html><title>home</title><p>home page</p>\n");
        write("hello.txt", "hello, world\n");
        write("style.css", "body { color: red; }\n".repeat(40));
        write("data.json", "{\"a\":1}");
        write("image.png", "\u0089PNG fake");
        write("noext", "no extension");
        write("a b.txt", "space in the name");
        write("100%.txt", "percent in the name");
        write("naïve café.txt", "utf-8 name");
        write("日本語.txt", "japanese name");
        write("a%2Fb.txt", "literal percent-2F in the name");
        write(".hidden", "dot-file");
        write(".git/config", "[core] secret");
        write("sub/index.html", "sub index");
        write("sub/page.html", "sub page");
        write("empty.txt", "");
        write("nested/deep/file.txt", "deep");
        Files.createDirectories(root.resolve("emptydir"));
        big = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        Files.createSymbolicLink(root.resolve("link-out.txt"), base.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("link-in.txt"), root.resolve("hello.txt"));
        Files.createSymbolicLink(root.resolve("dir-out"), base);
        Files.createSymbolicLink(root.resolve("link-hidden"), root.resolve(".hidden"));
    }

    void write(String relative, String content) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
    }

    byte[] read(String relative) throws IOException {
        return Files.readAllBytes(root.resolve(relative));
    }
}
