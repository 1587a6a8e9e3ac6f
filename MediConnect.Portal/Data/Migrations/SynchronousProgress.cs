namespace MediConnect.Portal.Data.Migrations;

/// <summary>
/// Unlike <see cref="Progress{T}"/>, reports on the caller's thread at once, so steps arrive in
/// order (the CLI prints them; the admin page marshals them itself).
/// </summary>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
