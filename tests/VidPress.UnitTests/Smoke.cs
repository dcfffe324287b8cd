namespace VidPress.UnitTests; public class Smoke { [Fact] public void Runs() => Assert.True(1 + 1 == 2); }
