package dev.litellmdeploy.cli;

import java.io.IOException;
import java.nio.file.NoSuchFileException;

import dev.litellmdeploy.builder.ConfigValidationException;
import dev.litellmdeploy.deployer.bundle.BundleException;
import dev.litellmdeploy.deployer.remote.ConnectionException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception that escaped a command into one message and a documented exit code. No stack
 * trace unless LITELLM_DEPLOY_DEBUG is set.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parseResult) {
        Console console = new Console(cmd.getOut(), cmd.getErr());
        int code;
        if (e instanceof ConfigValidationException c) {
            c.findings().forEach(console::finding);
            code = ExitCodes.INVALID_INPUT;
        } else if (e instanceof BundleException || e instanceof NoSuchFileException) {
            console.problem(e instanceof NoSuchFileException ? "no such file: " + e.getMessage() : e.getMessage());
            code = ExitCodes.INVALID_INPUT;
        } else if (e instanceof ConnectionException) {
            console.problem(e.getMessage());
            code = ExitCodes.CONNECTION;
        } else if (e instanceof IllegalArgumentException) {
            console.problem(e.getMessage());
            console.hint("see `" + cmd.getCommandSpec().qualifiedName() + " --help`");
            code = ExitCodes.USAGE;
        } else if (e instanceof IOException) {
            console.problem(e.getMessage());
            code = ExitCodes.INVALID_INPUT;
        } else {
            console.problem("unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + " (set LITELLM_DEPLOY_DEBUG=1 for the stack trace, and please report it)");
            code = ExitCodes.INTERNAL;
        }
        if (System.getenv("LITELLM_DEPLOY_DEBUG") != null) {
            e.printStackTrace(cmd.getErr());
        }
        return code;
    }
}
