namespace BeamDAQ.Daq.Acquisition.Publishing;

/// <summary>
/// Which message the publication queue gives up when the publisher thread has fallen behind and every slot is
/// taken. Either way the message is already in the run file and the loss is counted (<c>dropped</c> in
/// <c>daq.status</c> and <c>run.end</c>); subscribers see it as a gap in <c>tseq</c> (and <c>seq</c>).
/// </summary>
public enum PublicationDropPolicy
{
    /// <summary>The oldest waiting message makes room: subscribers get the freshest data (the live monitor's choice).</summary>
    DropOldest,

    /// <summary>The new message is not queued: what is waiting goes out in order, the newest are lost.</summary>
    DropNewest,
}

public static class PublicationDropPolicyNames
{
    public static string ToConfigName(this PublicationDropPolicy policy) =>
        policy == PublicationDropPolicy.DropNewest ? "drop-newest" : "drop-oldest";
}
