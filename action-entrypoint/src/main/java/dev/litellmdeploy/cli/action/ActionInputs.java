package dev.litellmdeploy.cli.action;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.litellmdeploy.cli.OptionTable;

/**
 * The action's inputs as the runner passes them: {@code INPUT_<NAME>} with the name upper-cased
 * and spaces turned to underscores, hyphens kept ({@code ssh-key} arrives as {@code INPUT_SSH-KEY};
 * the image's exec-form entrypoint keeps such variables). The underscore form is accepted too.
 * Read by {@link OptionTable} row: an input that is not set has the row's default.
 */
public final class ActionInputs {
    private final Map<String, String> env;

    public ActionInputs(Map<String, String> env) {
        this.env = env;
    }

    public String get(String name) {
        String key = "INPUT_" + name.toUpperCase(Locale.ROOT).replace(' ', '_');
        String value = env.get(key);
        if (value == null || value.isEmpty()) {
            value = env.get(key.replace('-', '_'));
        }
        return value == null || value.isEmpty() ? null : value.strip();
    }

    /** The raw value (not stripped): keys and known_hosts keep their exact text. */
    public String raw(String name) {
        String key = "INPUT_" + name.toUpperCase(Locale.ROOT).replace(' ', '_');
        String value = env.get(key);
        if (value == null || value.isEmpty()) {
            value = env.get(key.replace('-', '_'));
        }
        return value == null || value.isEmpty() ? null : value;
    }

    public String get(String name, String fallback) {
        String v = get(name);
        return v == null ? fallback : v;
    }

    /** The input, or its default; a default that is a runner expression (${{ github.token }}) is the runner's to fill, never a value. */
    public String get(OptionTable input) {
        String fallback = input.defaultValue();
        return get(input.input(), fallback != null && fallback.startsWith("${{") ? null : fallback);
    }

    public String raw(OptionTable input) {
        return raw(input.input());
    }

    public List<String> list(OptionTable input) {
        return list(input.input());
    }

    public boolean flag(OptionTable input) {
        return flag(input.input(), input.defaultValue());
    }

    public int number(OptionTable input, int min, int max) {
        return number(input.input(), Integer.parseInt(input.defaultValue()), min, max);
    }

    public boolean flag(String name) {
        return flag(name, null);
    }

    private boolean flag(String name, String fallback) {
        String v = get(name, fallback);
        if (v == null) {
            return false;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException("input " + name + " must be true or false, not '" + v + "'");
        };
    }

    public int number(String name, int fallback, int min, int max) {
        String v = get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new IllegalArgumentException("input " + name + " must be between " + min + " and " + max + ", not " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("input " + name + " must be a number, not '" + v + "'");
        }
    }

    /** Comma- or newline-separated values. */
    public List<String> list(String name) {
        String v = get(name);
        List<String> out = new ArrayList<>();
        if (v != null) {
            for (String part : v.split("[,\\n]")) {
                if (!part.isBlank()) {
                    out.add(part.strip());
                }
            }
        }
        return out;
    }
}
