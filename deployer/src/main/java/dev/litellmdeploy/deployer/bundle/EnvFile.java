package dev.litellmdeploy.deployer.bundle;

import java.util.LinkedHashMap;
import java.util.Map;

/** Reads the NAME="value" lines of litellm.env (systemd EnvironmentFile syntax, as the builder writes them). */
final class EnvFile {
    private EnvFile() {
    }

    static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        while (i < text.length()) {
            int eol = text.indexOf('\n', i);
            String line = text.substring(i, eol < 0 ? text.length() : eol);
            int eq = line.indexOf('=');
            if (line.startsWith("#") || eq < 0) {
                i = eol < 0 ? text.length() : eol + 1;
                continue;
            }
            String name = line.substring(0, eq).trim();
            int start = i + eq + 1;
            if (start < text.length() && text.charAt(start) == '"') {
                StringBuilder value = new StringBuilder();
                int j = start + 1;
                for (; j < text.length() && text.charAt(j) != '"'; j++) {
                    char c = text.charAt(j);
                    if (c == '\\' && j + 1 < text.length()) {
                        c = text.charAt(++j);
                    }
                    value.append(c);
                }
                out.put(name, value.toString());
                int next = text.indexOf('\n', j);
                i = next < 0 ? text.length() : next + 1;
            } else {
                out.put(name, line.substring(eq + 1));
                i = eol < 0 ? text.length() : eol + 1;
            }
        }
        return out;
    }
}
