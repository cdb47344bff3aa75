package dev.brigade.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The certificates a TLS port offers: a default one and one per SNI name (exact, or a
 * {@code *.example.com} wildcard for one label), loaded together as one snapshot.
 *
 * <p>Reloading builds a whole new snapshot from the files and swaps it in only if every file loads
 * and every key matches its certificate; otherwise the old snapshot stays and the failure is logged
 * once per change of the files. Handshakes in progress finish with the certificate they chose (its
 * alias stays resolvable for one more generation); connections already open are not touched.
 */
final class CertificateStore {

    private static final System.Logger LOG = System.getLogger(CertificateStore.class.getName());

    private final CertificateSource defaultSource;
    private final Map<String, CertificateSource> byName;
    private final Map<String, LoadedCertificate> aliases = new ConcurrentHashMap<>();
    private volatile Snapshot current;
    private List<String> lastSeenFiles; // file signatures when the last load was tried
    private int generation;

    private record Snapshot(int generation, LoadedCertificate fallback, Map<String, LoadedCertificate> byName) {
    }

    /** Loads every certificate now; throws {@link TlsConfigException} for the first that cannot be used. */
    CertificateStore(CertificateSource defaultSource, Map<String, CertificateSource> byName) {
        this.defaultSource = defaultSource;
        Map<String, CertificateSource> names = new LinkedHashMap<>();
        byName.forEach((name, source) -> names.put(name.toLowerCase(Locale.ROOT), source));
        this.byName = names;
        this.lastSeenFiles = fileSignatures();
        this.current = load();
    }

    private synchronized Snapshot load() {
        int gen = ++generation;
        LoadedCertificate fallback = CertificateLoader.load(defaultSource);
        Map<String, LoadedCertificate> loaded = new HashMap<>();
        Map<CertificateSource, LoadedCertificate> bySource = new HashMap<>();
        bySource.put(defaultSource, fallback);
        byName.forEach((name, source) -> loaded.put(name, bySource.computeIfAbsent(source, CertificateLoader::load)));
        aliases.keySet().removeIf(a -> generationOf(a) < gen - 1);
        aliases.put(alias(gen, ""), fallback);
        loaded.forEach((name, c) -> aliases.put(alias(gen, name), c));
        warnIfExpired(fallback);
        loaded.values().forEach(CertificateStore::warnIfExpired);
        return new Snapshot(gen, fallback, Map.copyOf(loaded));
    }

    /**
     * Reloads if any file changed since the last try (modification time, size or identity): a
     * replaced file is picked up, a bad one is logged and the old certificates stay.
     *
     * @return null if no file changed, else whether the new files are in use
     */
    synchronized Boolean reloadIfChanged() {
        List<String> seen = fileSignatures();
        if (seen.equals(lastSeenFiles)) {
            return null;
        }
        lastSeenFiles = seen;
        return reload();
    }

    /** Loads every file again now; false (logged) if one cannot be used, the old ones staying. */
    synchronized boolean reload() {
        try {
            current = load();
            LOG.log(System.Logger.Level.INFO, "TLS certificates reloaded: " + describe());
            return true;
        } catch (TlsConfigException e) {
            LOG.log(System.Logger.Level.WARNING, "TLS certificates not reloaded, the previous ones stay in use: "
                    + e.getMessage());
            return false;
        }
    }

    /** The alias of the certificate for an SNI host name (null: none sent) and key type, or null if there is none. */
    String choose(String sniHost, String keyType) {
        Snapshot s = current;
        String name = sniHost == null ? null : match(s, sniHost.toLowerCase(Locale.ROOT));
        LoadedCertificate c = name == null ? s.fallback() : s.byName().get(name);
        if (!c.keyType().equals(keyType)) {
            return null; // the JDK asks again with the next key type its client accepts
        }
        return alias(s.generation(), name == null ? "" : name);
    }

    LoadedCertificate byAlias(String alias) {
        return alias == null ? null : aliases.get(alias);
    }

    /** Aliases of the current snapshot whose key has this type. */
    String[] aliasesOfType(String keyType) {
        Snapshot s = current;
        List<String> out = new ArrayList<>();
        if (s.fallback().keyType().equals(keyType)) {
            out.add(alias(s.generation(), ""));
        }
        s.byName().forEach((name, c) -> {
            if (c.keyType().equals(keyType)) {
                out.add(alias(s.generation(), name));
            }
        });
        return out.isEmpty() ? null : out.toArray(String[]::new);
    }

    private static String match(Snapshot s, String host) {
        if (s.byName().containsKey(host)) {
            return host;
        }
        int dot = host.indexOf('.');
        if (dot > 0) {
            String wildcard = "*" + host.substring(dot);
            if (s.byName().containsKey(wildcard)) {
                return wildcard;
            }
        }
        return null;
    }

    private static String alias(int generation, String name) {
        return generation + "|" + name;
    }

    private static int generationOf(String alias) {
        return Integer.parseInt(alias.substring(0, alias.indexOf('|')));
    }

    String describe() {
        Snapshot s = current;
        StringBuilder sb = new StringBuilder("default ").append(s.fallback().subject());
        s.byName().forEach((name, c) -> sb.append(", ").append(name).append(' ').append(c.subject()));
        return sb.toString();
    }

    private List<String> fileSignatures() {
        List<String> out = new ArrayList<>();
        List<CertificateSource> sources = new ArrayList<>();
        sources.add(defaultSource);
        sources.addAll(byName.values());
        for (CertificateSource source : sources) {
            for (Path file : source.files()) {
                try {
                    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                    out.add(file + "|" + a.lastModifiedTime().toMillis() + "|" + a.size() + "|" + a.fileKey());
                } catch (IOException e) {
                    out.add(file + "|missing"); // being replaced: the next look finds the new one
                }
            }
        }
        return out;
    }

    private static void warnIfExpired(LoadedCertificate c) {
        try {
            c.leaf().checkValidity();
        } catch (java.security.cert.CertificateException e) {
            LOG.log(System.Logger.Level.WARNING, "TLS certificate " + c.subject() + " is not valid now: " + e.getMessage());
        }
    }
}
