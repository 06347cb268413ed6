package dev.litellmdeploy.builder;

public enum Severity {
    ERROR, WARNING
}
