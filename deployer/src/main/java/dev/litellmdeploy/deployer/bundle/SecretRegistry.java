package dev.litellmdeploy.deployer.bundle;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every secret value this process has seen: the bundle's secrets and master key, the SSH key's
 * text and lines, its passphrase, the GitHub token. Filled where they are read; every output path
 * (standard streams, job summary, outputs, deployment statuses) masks with it, so a value is hidden
 * even when it reaches output by a way nobody planned (a library's exception message).
 */
public final class SecretRegistry {
    private static final SecretRegistry GLOBAL = new SecretRegistry();

    private final Set<String> values = ConcurrentHashMap.newKeySet();
    private volatile List<String> snapshot = List.of();
    /** One mask per marker for the current snapshot (every output line is masked: not rebuilt and re-sorted each time). */
    private final java.util.Map<String, SecretMask> masks = new ConcurrentHashMap<>();

    /** The process's registry. */
    public static SecretRegistry global() {
        return GLOBAL;
    }

    public void add(Collection<String> secrets) {
        boolean changed = false;
        for (String s : secrets) {
            if (s != null && s.strip().length() >= 4) {
                changed |= values.add(s.strip());
            }
        }
        if (changed) {
            synchronized (this) {
                snapshot = List.copyOf(values);
                masks.clear();
            }
        }
    }

    public void add(String secret) {
        if (secret != null) {
            add(List.of(secret));
        }
    }

    /** A key or other multi-line secret: the whole text and each line but PEM armour lines. */
    public void addMultiLine(String text) {
        if (text == null) {
            return;
        }
        List<String> parts = new ArrayList<>();
        parts.add(text);
        for (String line : text.split("\\r?\\n")) {
            if (!line.isBlank() && !line.startsWith("-----")) {
                parts.add(line);
            }
        }
        add(parts);
    }

    public List<String> values() {
        return snapshot;
    }

    public String apply(String text, String marker) {
        SecretMask mask;
        synchronized (this) {
            mask = masks.computeIfAbsent(marker, m -> new SecretMask(snapshot, m));
        }
        return mask.apply(text);
    }
}
