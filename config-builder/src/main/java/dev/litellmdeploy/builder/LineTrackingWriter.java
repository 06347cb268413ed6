package dev.litellmdeploy.builder;

import java.io.Writer;

/** Collects rendered text and knows what the current line holds so far (to tell a whole YAML value from part of one). */
final class LineTrackingWriter extends Writer {
    private final StringBuilder text = new StringBuilder();

    @Override
    public void write(char[] chars, int off, int len) {
        text.append(chars, off, len);
    }

    @Override
    public void write(String s) {
        text.append(s);
    }

    String currentLine() {
        return text.substring(text.lastIndexOf("\n") + 1);
    }

    @Override
    public String toString() {
        return text.toString();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
