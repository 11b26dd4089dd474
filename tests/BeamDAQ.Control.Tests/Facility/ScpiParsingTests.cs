using BeamDAQ.Control.Facility.Scpi;

namespace BeamDAQ.Control.Tests.Facility;

public class ScpiParsingTests
{
    [Theory]
    [InlineData("SOUR:CURR 5")]
    [InlineData("source:current 5")]
    [InlineData(":SOURce:CURRent 5")]
    [InlineData("CURR 5")]
    [InlineData("SOUR:CURR:LEV 5")]
    public void WhenAHeaderUsesShortLongOrOptionalFormsThenItMatchesThePattern(string line)
    {
        Assert.True(ScpiCommand.TryParse(line, out var command, out _));
        Assert.True(command.Is(new ScpiPattern("[SOURce]:CURRent:[LEVel]")));
        Assert.Equal(["5"], command.Arguments);
        Assert.False(command.IsQuery);
    }

    [Theory]
    [InlineData("SOURC:CURR 5")]
    [InlineData("SOUR:CURRE 5")]
    [InlineData("SOUR:VOLT 5")]
    [InlineData("SOUR 5")]
    public void WhenAMnemonicIsNeitherShortNorLongFormThenItDoesNotMatch(string line)
    {
        Assert.True(ScpiCommand.TryParse(line, out var command, out _));
        Assert.False(command.Is(new ScpiPattern("[SOURce]:CURRent:[LEVel]")));
    }

    [Fact]
    public void WhenAQueryHasParametersThenTheyAreSplitAtCommas()
    {
        Assert.True(ScpiCommand.TryParse("SIM:RAMP 2, -0.5 ,10", out var command, out _));
        Assert.Equal(["2", "-0.5", "10"], command.Arguments);
        Assert.True(ScpiCommand.TryParse("MEAS:RES? 3", out var query, out _));
        Assert.True(query.IsQuery);
        Assert.Equal(["3"], query.Arguments);
    }

    [Theory]
    [InlineData("")]
    [InlineData("SOUR::CURR 5")]
    [InlineData("SOUR:CU$RR 5")]
    [InlineData("SIM:RAMP 1,,2")]
    public void WhenALineIsMalformedThenParsingFailsWithAReason(string line)
    {
        Assert.False(ScpiCommand.TryParse(line, out _, out string error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void WhenMoreErrorsThanTheQueueHoldsThenTheLastEntryIsQueueOverflow()
    {
        var queue = new ScpiErrorQueue();
        for (int i = 0; i < 15; i++)
            queue.Push(ScpiError.UndefinedHeader, "X" + i);
        var entries = Enumerable.Range(0, ScpiErrorQueue.Capacity + 1).Select(_ => queue.Pop()).ToArray();
        Assert.StartsWith("-113,\"Undefined header;X0\"", entries[0]);
        Assert.Equal("-350,\"Queue overflow\"", entries[ScpiErrorQueue.Capacity - 1]);
        Assert.Equal("0,\"No error\"", entries[ScpiErrorQueue.Capacity]);
    }
}
