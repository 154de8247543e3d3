namespace Cairn.Server.Admin.StoreMigration;

/// <summary>Why a store migration stopped, in words that name the option or table at fault. The target keeps what it had.</summary>
public sealed class StoreMigrationException(string message, Exception? innerException = null) : Exception(message, innerException);
