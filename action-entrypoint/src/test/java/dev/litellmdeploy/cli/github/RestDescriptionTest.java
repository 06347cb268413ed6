package dev.litellmdeploy.cli.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The check of request bodies against GitHub's REST description finds what GitHub would refuse or ignore. */
class RestDescriptionTest {
    @Test
    void theLibrarysInProgressSpellingAndAnUnknownPropertyAreFoundAndOurBodiesPass() {
        assertFalse(RestDescription.problems("repos/create-deployment-status", "{\"state\": \"in-progress\"}").isEmpty(),
                "GitHub wants in_progress; GitHub API for Java 1.330 sends in-progress");
        assertFalse(RestDescription.problems("repos/create-deployment", "{\"ref\": \"main\", \"auto_merge\": false, \"transient\": true}").isEmpty(),
                "transient is not a property: transient_environment is");
        assertFalse(RestDescription.problems("issues/create-comment", "{}").isEmpty(), "body is required");
        assertEquals(List.of(), RestDescription.problems("repos/create-deployment-status",
                "{\"state\": \"in_progress\", \"description\": \"Deploying\", \"log_url\": \"https://x.invalid/run\", \"auto_inactive\": false}"));
        assertEquals(List.of(), RestDescription.problems("repos/create-deployment", "{\"ref\": \"main\", \"task\": \"deploy:rollback\","
                + " \"auto_merge\": false, \"required_contexts\": [], \"environment\": \"production\", \"description\": \"d\", \"payload\": \"{}\","
                + " \"production_environment\": true, \"transient_environment\": false}"));
        assertEquals("issues/update-comment", RestDescription.operationOf("PATCH", "/repos/acme/gateway/issues/comments/900"));
    }
}
