package dev.litellmdeploy.builder;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What one rendering pass noticed: variables used, undefined ones, and values that cannot be embedded safely. */
final class RenderProblems {
    record Site(String variable, String file, int line) {
    }

    final Set<String> used = new LinkedHashSet<>();
    final List<Site> undefined = new ArrayList<>();
    final List<Site> unsafeEmbeds = new ArrayList<>();
}
