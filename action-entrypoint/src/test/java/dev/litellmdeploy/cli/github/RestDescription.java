package dev.litellmdeploy.cli.github;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;

/**
 * GitHub's published REST description for the operations this tool calls (resources/octokit-openapi, from
 * {@code @octokit/openapi}): the success examples the stub answers with, and the request schemas every body a test sends
 * is checked against, strictly (a property the description does not name is a problem too).
 */
final class RestDescription {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode OPERATIONS = load().get("operations");

    private RestDescription() {
    }

    private static JsonNode load() {
        try (InputStream in = RestDescription.class.getResourceAsStream("/octokit-openapi/rest-subset.json")) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh copy of the operation's success example. */
    static ObjectNode example(String operationId) {
        return (ObjectNode) operation(operationId).get("example").deepCopy();
    }

    static com.fasterxml.jackson.databind.JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What is wrong with a request body for the operation, by GitHub's description; empty when nothing. */
    static List<String> problems(String operationId, String body) {
        ObjectNode schema = (ObjectNode) operation(operationId).get("request").deepCopy();
        schema.put("additionalProperties", false);
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().nullableKeywordEnabled(true).build();
        JsonSchema s = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema, config);
        try {
            return s.validate(JSON.readTree(body)).stream().map(m -> m.getMessage()).sorted().toList();
        } catch (IOException e) {
            return List.of("not JSON: " + e.getMessage());
        }
    }

    /** The operation a request is for, by its method and path (the stub's prefix removed), or null. */
    static String operationOf(String method, String path) {
        for (var it = OPERATIONS.fields(); it.hasNext();) {
            var op = it.next();
            String pattern = op.getValue().get("path").asText().replaceAll("\\{[a-z_]+\\}", "[^/]+");
            if (op.getValue().get("method").asText().equals(method) && path.matches(pattern)) {
                return op.getKey();
            }
        }
        return null;
    }

    private static JsonNode operation(String operationId) {
        JsonNode op = OPERATIONS.get(operationId);
        if (op == null) {
            throw new IllegalArgumentException("not in rest-subset.json: " + operationId);
        }
        return op;
    }
}
