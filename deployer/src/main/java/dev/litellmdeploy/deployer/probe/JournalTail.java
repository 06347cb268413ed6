package dev.litellmdeploy.deployer.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The part of a service's journal that explains a failed start: the lines from its last start on
 * (systemd's "Started ..." line), without LiteLLM's start-up banner (block letters and a boxed
 * greeting, ~20 lines that would push the traceback out of view), with the frames of a recursive
 * traceback given once (LiteLLM's start-up failures come through many nested lifespans), at most
 * the last N.
 */
public final class JournalTail {
    /** Lines of box-drawing characters, or the boxed "#---#" greeting, with or without ANSI colour codes. */
    private static final Pattern BANNER = Pattern.compile("^(\\e\\[[0-9;]*m|\\[[0-9;]*m)*\\s*([\\u2500-\\u259F\\s]+|#[-\\s]*#|#\\s.*\\s#)\\s*"
            + "(\\e\\[[0-9;]*m|\\[[0-9;]*m)*$");

    private JournalTail() {
    }

    public static String ofLastStart(String journal, int max) {
        String[] all = journal.strip().split("\n");
        int from = 0;
        for (int i = all.length - 1; i >= 0; i--) {
            if (all[i].startsWith("Started ")) {
                from = i;
                break;
            }
        }
        List<String> kept = new ArrayList<>();
        java.util.Set<String> frames = new java.util.HashSet<>();
        for (int i = from; i < all.length; i++) {
            String line = all[i];
            boolean frame = line.startsWith(" ");
            if (line.isBlank() || BANNER.matcher(line).matches() || frame && !frames.add(line)) {
                continue;
            }
            kept.add(line);
        }
        return String.join("\n", kept.subList(Math.max(0, kept.size() - max), kept.size()));
    }
}
