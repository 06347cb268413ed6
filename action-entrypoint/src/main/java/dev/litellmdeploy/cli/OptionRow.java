package dev.litellmdeploy.cli;

/**
 * One row of {@link OptionTable} under construction: fluent, so that the table reads as a table
 * ({@code cli("--port").input("port").env("LITELLM_DEPLOY_PORT").byDefault("22").text("...")}).
 */
final class OptionRow {
    final String flag;
    String input;
    String env;
    String defaultValue;
    boolean required;
    String text;
    String actionNote;
    String cliNote;
    String cliEquivalent;
    String notInAction;

    private OptionRow(String flag, String input) {
        this.flag = flag;
        this.input = input;
    }

    /** A CLI option (add {@link #input} when the action has it too). */
    static OptionRow cli(String flag) {
        return new OptionRow(flag, null);
    }

    /** An action input the CLI has no option for (say what it does instead: {@link #cliEquivalent}). */
    static OptionRow action(String input) {
        return new OptionRow(null, input);
    }

    OptionRow input(String name) {
        input = name;
        return this;
    }

    OptionRow env(String name) {
        env = name;
        return this;
    }

    OptionRow byDefault(String value) {
        defaultValue = value;
        return this;
    }

    OptionRow required() {
        required = true;
        return this;
    }

    OptionRow text(String value) {
        text = value;
        return this;
    }

    /** Appended to the text in action.yml only. */
    OptionRow actionNote(String value) {
        actionNote = value;
        return this;
    }

    /** Appended to the text in the CLI's help only. */
    OptionRow cliNote(String value) {
        cliNote = value;
        return this;
    }

    OptionRow cliEquivalent(String value) {
        cliEquivalent = value;
        return this;
    }

    OptionRow notInAction(String reason) {
        notInAction = reason;
        return this;
    }
}
