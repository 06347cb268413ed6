package dev.litellmdeploy.deployer;

import java.time.Duration;

/** One executed step: its name, how long it took, and a short note (never a secret). */
public record StepTiming(String step, Duration took, String detail) {
}
