using System.Diagnostics;
using System.Globalization;

namespace MediConnect.Portal.Data;

/// <summary>
/// Which processes use a zero-setup cluster: one lease file per process (<c>leases/PID</c> under
/// the cluster folder, holding the process's start time so a reused pid is not mistaken for it).
/// Starting and stopping happen under an exclusive lock on <c>leases.lock</c>, so two portals
/// started at once neither start the cluster twice nor stop it under each other; the last one
/// out stops it. A lease left by a killed process names a dead pid and is ignored.
/// </summary>
public sealed class ClusterLeases
{
    static readonly TimeSpan LockWait = TimeSpan.FromMinutes(3);
    readonly string _folder;
    readonly string _lockFile;
    readonly int _pid = Environment.ProcessId;

    public ClusterLeases(string clusterDirectory)
    {
        _folder = Path.Combine(clusterDirectory, "leases");
        _lockFile = Path.Combine(clusterDirectory, "leases.lock");
    }

    /// <summary>Runs <paramref name="action"/> while holding the folder's lock (waiting for another process's start or stop to finish).</summary>
    public T Locked<T>(Func<T> action)
    {
        Directory.CreateDirectory(_folder);
        var deadline = DateTime.UtcNow + LockWait;
        while (true)
        {
            FileStream gate;
            try
            {
                gate = new FileStream(_lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100); // another portal of this folder is starting or stopping the cluster
                continue;
            }
            using (gate)
                return action();
        }
    }

    /// <summary>Records this process as a user of the cluster.</summary>
    public void Take() =>
        File.WriteAllText(Path.Combine(_folder, _pid.ToString(CultureInfo.InvariantCulture)), StartTime(Process.GetCurrentProcess()));

    /// <summary>Removes this process's lease (and those of dead processes); returns the pids of the other live users.</summary>
    public IReadOnlyList<int> Release()
    {
        File.Delete(Path.Combine(_folder, _pid.ToString(CultureInfo.InvariantCulture)));
        return OtherUsers();
    }

    /// <summary>The pids of other live processes holding a lease; stale leases are deleted on the way.</summary>
    public IReadOnlyList<int> OtherUsers()
    {
        var users = new List<int>();
        foreach (var file in Directory.Exists(_folder) ? Directory.GetFiles(_folder) : [])
        {
            if (!int.TryParse(Path.GetFileName(file), CultureInfo.InvariantCulture, out var pid) || pid == _pid)
                continue;
            if (IsAlive(pid, File.ReadAllText(file).Trim()))
                users.Add(pid);
            else
                File.Delete(file);
        }
        return users;
    }

    static bool IsAlive(int pid, string startTime)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            // Linux derives a start time from the boot time, which each reader computes with a little jitter.
            return !process.HasExited
                && DateTime.TryParse(startTime, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var recorded)
                && (process.StartTime.ToUniversalTime() - recorded).Duration() < TimeSpan.FromSeconds(2);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false; // no such process (any more)
        }
    }

    static string StartTime(Process process) => process.StartTime.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
}
