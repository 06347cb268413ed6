package dev.litellmdeploy.builder;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** "Did you mean": names close to a misspelled one (names only; values are never looked at). */
final class NearNames {
    private NearNames() {
    }

    static List<String> suggest(String wanted, Collection<String> known) {
        String w = wanted.toLowerCase(Locale.ROOT);
        String lastSegment = w.substring(w.lastIndexOf('.') + 1);
        return known.stream()
                .filter(k -> {
                    String c = k.toLowerCase(Locale.ROOT);
                    int limit = Math.max(2, w.length() / 3);
                    return distance(w, c) <= limit || c.endsWith("." + lastSegment)
                            || distance(lastSegment, c.substring(c.lastIndexOf('.') + 1)) <= Math.max(1, lastSegment.length() / 4);
                })
                .sorted(Comparator.comparingInt((String k) -> distance(w, k.toLowerCase(Locale.ROOT))).thenComparing(k -> k))
                .limit(3)
                .toList();
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
