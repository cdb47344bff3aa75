package dev.brigade.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's library example compiles as printed, imports included: its import lines go on top
 * of a class, its statements into a method, and the JDK's compiler builds it against the library.
 */
class ReadmeExampleTest {

    @Test
    void theLibraryExampleCompilesAsPrinted(@TempDir Path out) throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        int section = readme.indexOf("## The library");
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        int end = readme.indexOf("```", start);
        List<String> imports = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (String line : readme.substring(start, end).split("\n")) {
            if (line.startsWith("import ")) {
                imports.add(line);
            } else if (!line.strip().equals("// ...")) {
                body.append(line).append('\n');
            }
        }
        assertThat(imports).as("the example shows its imports").isNotEmpty();
        String source = String.join("\n", imports) + "\nclass ReadmeExample {\n  static void run() throws Exception {\n"
                + body + "  }\n}\n";
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///ReadmeExample.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        boolean ok = javac.getTask(errors, null, null,
                List.of("-d", out.toString(), "-classpath", System.getProperty("java.class.path"), "-proc:none"),
                null, List.of(file)).call();
        assertThat(ok).as("javac on the README example:%n%s%n%s", errors, source).isTrue();
    }
}
