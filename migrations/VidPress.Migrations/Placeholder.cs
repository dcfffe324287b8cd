namespace VidPress.Migrations; internal static class Placeholder;
