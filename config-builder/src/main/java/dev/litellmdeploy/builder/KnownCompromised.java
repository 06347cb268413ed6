package dev.litellmdeploy.builder;

import java.util.Map;

/**
 * LiteLLM releases that must never be installed, with the reason: refused by {@code lock}, {@code build} and {@code validate}
 * (and by tools/prepare-wheelhouse and the root helper's environment build, which keep their own copy of this list).
 */
public final class KnownCompromised {
    /** version -> why. */
    public static final Map<String, String> LITELLM = Map.of(
            "1.82.7", "a malicious upload to PyPI on 2026-03-24 (credential-stealing code); pinned installs were not affected",
            "1.82.8", "a malicious upload to PyPI on 2026-03-24 (credential-stealing code); pinned installs were not affected");

    private KnownCompromised() {
    }

    /** Why this LiteLLM version must not be installed, or null when it is not known to be compromised. */
    public static String why(String version) {
        return version == null ? null : LITELLM.get(version.strip());
    }

    /** The user-facing refusal for a compromised version. */
    public static String refusal(String version) {
        return "LiteLLM " + version + " is a known-compromised release: " + why(version) + ". Pick another version (--litellm-version)";
    }
}
