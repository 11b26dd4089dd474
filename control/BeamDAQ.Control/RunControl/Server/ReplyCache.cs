namespace BeamDAQ.Control.RunControl.Server;

/// <summary>
/// The replies to the latest request ids, so that a client retrying after a lost reply gets the answer it missed
/// instead of having its command carried out twice. Bounded: the oldest id is forgotten first.
/// </summary>
public sealed class ReplyCache(int capacity = 256)
{
    private readonly Dictionary<string, IDictionary<string, object?>> _replies = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    /// <summary>Requests answered from the cache.</summary>
    public long Repeats { get; private set; }

    public bool TryGet(string id, out IDictionary<string, object?> reply)
    {
        if (_replies.TryGetValue(id, out reply!))
        {
            Repeats++;
            return true;
        }
        return false;
    }

    public void Add(string id, IDictionary<string, object?> reply)
    {
        if (_replies.ContainsKey(id)) return;
        _replies[id] = reply;
        _order.Enqueue(id);
        while (_order.Count > Capacity)
            _replies.Remove(_order.Dequeue());
    }
}
