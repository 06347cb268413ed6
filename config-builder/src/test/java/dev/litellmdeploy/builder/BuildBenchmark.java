package dev.litellmdeploy.builder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Not a test: builds a config of 1,000 models from 100 model templates and prints timings.
 * Run with {@code bench/run build} (see docs/performance.md).
 */
public final class BuildBenchmark {
    public static void main(String[] args) throws Exception {
        int templates = 100;
        int perTemplate = 10;
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        Path dir = Files.createTempDirectory("litellm-deploy-bench");
        Inputs in = new Inputs(dir).template("config.yaml.mustache", Inputs.SKELETON
                + "providers:\n  p:\n    prefix: openai/\n    litellm_params: {api_base: https://p.example.invalid/v1, api_key: {{keys.muffin}}}\n"
                + "router_settings:\n  routing_strategy: simple-shuffle\n  fallbacks: [{m-0-0: [m-1-0]}]\n")
                .secret("main.yaml", Inputs.SECRETS);
        for (int t = 0; t < templates; t++) {
            StringBuilder text = new StringBuilder();
            for (int m = 0; m < perTemplate; m++) {
                text.append("- model_name: m-").append(t).append('-').append(m).append("\n  provider: p\n  litellm_params:\n")
                        .append("    model: model-").append(m).append("\n    api_key: {{keys.muffin}}\n    rpm: ").append(10 + m)
                        .append("\n  model_info: {input_cost_per_token: 0.000001}\n");
            }
            in.model(String.format("%03d-batch", t), text.toString());
        }
        long[] millis = new long[runs];
        int models = 0;
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            BuildResult result = in.build();
            millis[i] = (System.nanoTime() - start) / 1_000_000;
            models = result.manifest().models().size();
        }
        long[] sorted = millis.clone();
        Arrays.sort(sorted);
        System.out.printf("build: %d model entries (%d names) from %d templates: first %d ms, median of %d runs %d ms, best %d ms%n",
                templates * perTemplate, models, templates, millis[0], runs, sorted[runs / 2], sorted[0]);
    }
}
