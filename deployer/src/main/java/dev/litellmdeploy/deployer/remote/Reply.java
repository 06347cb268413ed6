package dev.litellmdeploy.deployer.remote;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A helper verb's reply: {@code key=value} lines, the one format every verb that answers uses (the state read, a start's
 * restart baseline and clock, a drain's result, systemctl's properties). One parser; a key that is missing is an error
 * that names the verb, never a silent zero.
 */
public final class Reply {
    private final String verb;
    private final Map<String, String> values;
    private final Map<String, List<String>> repeated;

    private Reply(String verb, Map<String, String> values, Map<String, List<String>> repeated) {
        this.verb = verb;
        this.values = values;
        this.repeated = repeated;
    }

    /** Parses {@code key=value} lines (the first '=' splits; lines without one are ignored; a repeated key keeps every value). */
    public static Reply parse(String verb, String stdout) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, List<String>> repeated = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq);
            String value = line.substring(eq + 1).strip();
            values.put(key, value);
            repeated.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(value);
        }
        return new Reply(verb, values, repeated);
    }

    public String get(String key) throws RemoteCommandException {
        String v = values.get(key);
        if (v == null) {
            throw new RemoteCommandException("the helper's " + verb + " did not answer " + key + " (another helper version?)", -1, "");
        }
        return v;
    }

    public String get(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    public long number(String key) throws RemoteCommandException {
        String v = get(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new RemoteCommandException("the helper's " + verb + " answered " + key + "=" + v + ", not a number", -1, "");
        }
    }

    /** Every value of a key given on several lines, in order. */
    public List<String> all(String key) {
        return repeated.getOrDefault(key, List.of());
    }

    public Map<String, String> values() {
        return values;
    }
}
