namespace VidPress.Core;
internal static class Placeholder;
