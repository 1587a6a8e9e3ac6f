using MediConnect.Portal;
using MediConnect.Portal.Data;
using MediConnect.Portal.Data.Migrations;
using MediConnect.Portal.Features.Admin.Users;
using MediConnect.Portal.Security;

var commandLine = MigrationCli.IsMigrateCommand(args) || UsersCli.IsUsersCommand(args);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = commandLine ? [] : args,
    WebRootPath = PortalSetup.PublishedWebRoot(Directory.GetCurrentDirectory(), AppContext.BaseDirectory),
});
try
{
    builder.AddPortal(commandLine);
}
catch (PortalConfigurationException e)
{
    Console.Error.WriteLine($"MediConnect Portal cannot start: {e.Message}");
    return 1;
}

var app = builder.Build();
var zeroSetup = app.Services.GetService<ZeroSetupDatabase>();
try
{
    if (UsersCli.IsUsersCommand(args))
        return await UsersCli.RunAsync(args, app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>(),
            app.Services.GetRequiredService<PasswordHasher>(), Console.In, Console.Out, Console.Error);
    if (commandLine)
        return await MigrationCli.RunAsync(args, app.Services.GetRequiredService<MigrationRunner>(),
            app.Services.GetRequiredService<DatabaseSettings>(), Console.Out, Console.Error, Console.In);

    app.MapPortal();
    await app.PrepareDatabaseAsync();
    StartupBanner.PrintWhenStarted(app, Console.Out);
    await app.RunAsync();
    return 0;
}
catch (PortalConfigurationException e)
{
    Console.Error.WriteLine($"MediConnect Portal cannot start: {e.Message}");
    return 1;
}
finally
{
    // The portal leaves its zero-setup cluster on shutdown (the last one out stops it); the CLI stops only one it started itself.
    zeroSetup?.Stop(onlyIfStartedHere: commandLine);
}

public partial class Program;
