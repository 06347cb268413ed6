package dev.litellmdeploy.cli;

import picocli.CommandLine.Mixin;

/** A subcommand that talks to servers: which ones and how (connection), and how deploys run (options). */
abstract class RemoteCommand extends CliCommand {
    @Mixin
    ConnectionOptions connection;

    @Mixin
    DeployOptions options;
}
