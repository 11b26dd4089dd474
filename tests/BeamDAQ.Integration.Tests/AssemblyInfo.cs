// Each test drives the real programs through run-scripts/shift.sh; two shifts at once would only compete for the
// machine's cores (their ports never collide: the script picks free ones).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
