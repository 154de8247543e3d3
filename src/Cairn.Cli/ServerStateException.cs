namespace Cairn.Cli;

/// <summary>
/// What the server holds rules the command out, though the server would answer it (an unknown experiment in a
/// search, restoring what is not deleted): reported like a server error, with exit code 2.
/// </summary>
public sealed class ServerStateException(string message) : Exception(message);
