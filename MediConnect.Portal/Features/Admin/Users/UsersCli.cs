using MediConnect.Portal.Data;
using MediConnect.Portal.Security;
using Npgsql;

namespace MediConnect.Portal.Features.Admin.Users;

/// <summary>
/// <c>dotnet MediConnect.Portal.dll users add-admin EMAIL "NAME"</c>: the first admin of a database
/// without demo data (everyone else is then created on the Users page). The password is read from
/// standard input, never from the command line, and follows the sign-in rules. Exits 0 on
/// success, 1 when refused, 2 on a usage error.
/// </summary>
public static class UsersCli
{
    const string Usage = """
        Usage: dotnet MediConnect.Portal.dll users add-admin <email> "<name>"
          creates an admin account; the password is read from standard input (one line)
        """;

    public static bool IsUsersCommand(string[] args) => args.Length > 0 && args[0] == "users";

    public static async Task<int> RunAsync(string[] args, NpgsqlDataSource db, PasswordHasher hasher, TextReader input, TextWriter output, TextWriter error)
    {
        if (args.Length != 4 || args[1] != "add-admin")
        {
            error.WriteLine(Usage);
            return 2;
        }
        var email = AccountRules.NormalizeEmail(args[2]);
        var name = args[3].Trim();
        if ((AccountRules.EmailError(email) ?? (name.Length is 0 or > 200 ? "Give the admin's name (at most 200 characters)." : null)) is { } problem)
        {
            error.WriteLine(problem);
            return 1;
        }

        output.Write($"Password for {email}: ");
        var password = ReadPassword(input);
        output.WriteLine();
        if (AccountRules.PasswordError(password, email) is { } weak)
        {
            error.WriteLine(weak);
            return 1;
        }

        try
        {
            await db.InTransactionAsync(async tx =>
            {
                var id = await tx.InsertReturningAsync<int>(
                    "INSERT INTO users (email, password, role, name) VALUES (@email, @hash, 'admin', @name) RETURNING id",
                    new { email, hash = hasher.Hash(password!), name });
                await AuditLog.WriteAsync(tx, new AuditEntry(null, "user_create", "user", id.ToString(System.Globalization.CultureInfo.InvariantCulture), null,
                    new { email, name, role = Roles.Admin, isActive = true, via = $"cli:{Environment.UserName}" }));
            });
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            error.WriteLine($"An account with the email {email} already exists.");
            return 1;
        }
        catch (NpgsqlException e) when (e is not PostgresException)
        {
            error.WriteLine($"Could not reach the database: {e.Message}");
            return 1;
        }
        output.WriteLine($"Created the admin {email}. Sign in at /account/login; the portal asks for an authenticator app first.");
        return 0;
    }

    /// <summary>One line from standard input; typed at a terminal, without echoing it.</summary>
    static string? ReadPassword(TextReader input)
    {
        if (!ReferenceEquals(input, Console.In) || Console.IsInputRedirected)
            return input.ReadLine();
        var typed = new System.Text.StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace && typed.Length > 0)
                typed.Length--;
            else if (!char.IsControl(key.KeyChar))
                typed.Append(key.KeyChar);
        }
        return typed.ToString();
    }
}
