package dev.litellmdeploy.builder;

import java.util.List;
import java.util.Map;

/**
 * The merged LiteLLM config and where its parts came from: {@code entrySources.get(i)} locates
 * model_list[i] in the template that produced it, so findings can name file and line.
 */
public record AssembledConfig(Map<String, Object> config, List<EntrySource> entrySources, List<LocatedYaml> documents) {

    /** A model_list entry's origin: the document and the path of the entry inside it. */
    public record EntrySource(LocatedYaml document, String localPath) {
        Location locate(String subPath) {
            return document.locate(subPath.isEmpty() ? localPath : localPath + "." + subPath);
        }
    }

    /** Where a path of the merged config comes from ("model_list[3].litellm_params.rpm", "router_settings.fallbacks"). */
    public Location locate(String path) {
        if (path.startsWith("model_list[")) {
            int close = path.indexOf(']');
            int index = Integer.parseInt(path.substring("model_list[".length(), close));
            if (index < entrySources.size()) {
                String rest = path.substring(close + 1);
                return entrySources.get(index).locate(rest.startsWith(".") ? rest.substring(1) : rest);
            }
        }
        for (int i = documents.size() - 1; i >= 0; i--) {
            LocatedYaml doc = documents.get(i);
            if (doc.lines().containsKey(path)) {
                return doc.locate(path);
            }
        }
        String top = path.contains(".") ? path.substring(0, path.indexOf('.')) : path;
        for (LocatedYaml doc : documents) {
            if (doc.lines().containsKey(top)) {
                return doc.locate(path);
            }
        }
        return documents.isEmpty() ? Location.NONE : Location.of(documents.get(0).file(), 0);
    }
}
