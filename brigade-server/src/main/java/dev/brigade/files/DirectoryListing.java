package dev.brigade.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * A directory's contents as a page a person likes to use, or as JSON.
 *
 * <p>The HTML is sorted on the server ({@code ?sort=name|size|date&order=asc|desc}), so the column
 * headings are plain links and everything works without JavaScript; directories come first.
 * Sizes are human-readable (with the exact byte count in a {@code title}), dates in UTC. Every
 * name is escaped for HTML and percent-encoded in its link. JSON ({@code Accept:
 * application/json}) is an array of {@code {name, type, size, modified}} in the same order.
 */
final class DirectoryListing {

    record Item(String name, boolean directory, long size, long modifiedMillis) {
    }

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private DirectoryListing() {
    }

    /** The entries of {@code dir} that {@code visible} admits, sorted. */
    static List<Item> read(Path dir, Predicate<Path> visible, String sort, boolean descending) throws IOException {
        List<Item> items = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!visible.test(p)) {
                    continue;
                }
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    items.add(new Item(name, a.isDirectory(), a.isDirectory() ? 0 : a.size(),
                            a.lastModifiedTime().toMillis()));
                } catch (IOException e) {
                    // a dangling link or a file removed meanwhile: not listed
                }
            }
        }
        Comparator<Item> byName = Comparator.comparing(i -> i.name().toLowerCase(Locale.ROOT));
        Comparator<Item> order = switch (sort) {
            case "size" -> Comparator.comparingLong(Item::size).thenComparing(byName);
            case "date" -> Comparator.comparingLong(Item::modifiedMillis).thenComparing(byName);
            default -> byName.thenComparing(Item::name);
        };
        if (descending) {
            order = order.reversed();
        }
        items.sort(Comparator.comparing((Item i) -> !i.directory()).thenComparing(order));
        return items;
    }

    static String json(List<Item> items) {
        StringBuilder sb = new StringBuilder("[");
        for (Item i : items) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append("\n{\"name\":\"").append(jsonEscape(i.name())).append("\",\"type\":\"")
                    .append(i.directory() ? "directory" : "file").append("\",\"size\":").append(i.size())
                    .append(",\"modified\":\"").append(Instant.ofEpochMilli(i.modifiedMillis())).append("\"}");
        }
        return sb.append("\n]\n").toString();
    }

    /**
     * @param title the directory's decoded path as requested (shown escaped)
     * @param atMountRoot whether to omit the parent-directory link
     */
    static String html(String title, List<Item> items, String sort, boolean descending, boolean atMountRoot) {
        String t = escape(title);
        StringBuilder sb = new StringBuilder(4096 + items.size() * 200);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Index of ").append(t).append("</title>\n<style>\n")
                .append("body{font:15px/1.5 system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em;color:#222}\n")
                .append("h1{font-size:1.4em;font-weight:600;word-break:break-all}\n")
                .append("table{border-collapse:collapse;width:100%}\n")
                .append("th,td{padding:.35em .6em;text-align:left;border-bottom:1px solid #e4e4e4}\n")
                .append("th a{color:inherit;text-decoration:none}th a:hover{text-decoration:underline}\n")
                .append("td.size,th.size{text-align:right;font-variant-numeric:tabular-nums}\n")
                .append("td.date{white-space:nowrap;color:#555;font-variant-numeric:tabular-nums}\n")
                .append("tr:hover td{background:#f5f8ff}a{color:#0645ad}td.name a{word-break:break-all}\n")
                .append(".dir a{font-weight:600}.icon{display:inline-block;width:1em;height:1em;margin-right:.45em;")
                .append("vertical-align:-.12em;background:no-repeat center/contain}\n")
                .append(".dir .icon{background-image:url(\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' ")
                .append("viewBox='0 0 16 16'%3E%3Cpath fill='%23e8a33d' d='M1 3h5l2 2h7v9H1z'/%3E%3C/svg%3E\")}\n")
                .append(".file .icon{background-image:url(\"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' ")
                .append("viewBox='0 0 16 16'%3E%3Cpath fill='%23fff' stroke='%23889' d='M3.5 1.5h6l3 3v10h-9z'/%3E%3C/svg%3E\")}\n")
                .append("footer{margin-top:1.5em;color:#777;font-size:.85em}\n")
                .append("@media(prefers-color-scheme:dark){body{background:#181a1b;color:#ddd}a{color:#8ab4f8}")
                .append("th,td{border-color:#333}tr:hover td{background:#222a35}td.date{color:#aaa}}\n")
                .append("</style>\n</head>\n<body>\n<h1>Index of ").append(t).append("</h1>\n")
                .append("<table>\n<thead><tr>")
                .append(heading("name", "Name", sort, descending))
                .append(heading("size", "Size", sort, descending))
                .append(heading("date", "Modified (UTC)", sort, descending))
                .append("</tr></thead>\n<tbody>\n");
        if (!atMountRoot) {
            sb.append("<tr class=\"dir parent\"><td class=\"name\"><a href=\"../\"><span class=\"icon\"></span>")
                    .append("Parent directory</a></td><td class=\"size\"></td><td class=\"date\"></td></tr>\n");
        }
        for (Item i : items) {
            String href = encode(i.name()) + (i.directory() ? "/" : "");
            sb.append("<tr class=\"").append(i.directory() ? "dir" : "file").append("\"><td class=\"name\"><a href=\"")
                    .append(escape(href)).append("\"><span class=\"icon\"></span>").append(escape(i.name())).append(i.directory() ? "/" : "")
                    .append("</a></td><td class=\"size\"");
            if (i.directory()) {
                sb.append(">—");
            } else {
                sb.append(" title=\"").append(i.size()).append(" bytes\">").append(humanSize(i.size()));
            }
            sb.append("</td><td class=\"date\">").append(DATE.format(Instant.ofEpochMilli(i.modifiedMillis())))
                    .append("</td></tr>\n");
        }
        sb.append("</tbody>\n</table>\n<footer>").append(items.size()).append(items.size() == 1 ? " entry" : " entries")
                .append(" · Brigade</footer>\n</body>\n</html>\n");
        return sb.toString();
    }

    /** A column heading linking to this column's sort; the current one shows its order and flips it. */
    private static String heading(String key, String label, String sort, boolean descending) {
        boolean current = key.equals(sort);
        boolean nextDescending = current ? !descending : key.equals("size") || key.equals("date");
        String arrow = current ? (descending ? " ▼" : " ▲") : "";
        String cls = key.equals("size") ? " class=\"size\"" : "";
        return "<th" + cls + (current ? " aria-sort=\"" + (descending ? "descending" : "ascending") + "\"" : "")
                + "><a href=\"?sort=" + key + "&amp;order=" + (nextDescending ? "desc" : "asc") + "\">"
                + label + arrow + "</a></th>";
    }

    static String humanSize(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (v < 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.0f", v)) + " " + units[u];
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Percent-encodes a name for use as one path segment (UTF-8; unreserved characters kept). */
    static String encode(String name) {
        StringBuilder sb = new StringBuilder();
        for (byte b : name.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }

    private static String jsonEscape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
