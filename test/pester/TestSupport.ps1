# Setup the Pester files share, dot-sourced in their BeforeAll:
#   . (Join-Path -Path $PSScriptRoot -ChildPath 'TestSupport.ps1')
# One copy, so the tests that run the real core all build the same tiny boot image and restore
# the environment the same way. Windows PowerShell 5.1 syntax, like the module.

function Save-TestEnvironment {
    # The values of environment variables a test file is about to change, for Restore-TestEnvironment
    # in its AfterAll: the test run's own process environment must come out as it went in.
    param([Parameter(Mandatory)] [string[]] $Name)
    $saved = @{}
    foreach ($item in $Name) {
        $saved[$item] = [Environment]::GetEnvironmentVariable($item)
    }
    $saved
}

function Restore-TestEnvironment {
    param([Parameter(Mandatory)] [hashtable] $Saved)
    foreach ($item in $Saved.Keys) {
        [Environment]::SetEnvironmentVariable($item, $Saved[$item])
    }
}

function Get-TestCorePath {
    # The real core, as the module finds it in a release; a clear error when nobody built it, rather
    # than every test failing with CoreNotFound.
    param([Parameter(Mandatory)] [string] $RepoRoot)
    $cli = Join-Path -Path $RepoRoot -ChildPath 'dist/capture-media.cjs'
    if (-not (Test-Path -LiteralPath $cli)) {
        throw "The core is not built: $cli is missing. Run 'npm run build' first."
    }
    $cli
}

function New-TestBootWim {
    # A real (tiny) WinPE-shaped boot image made by wimlib-imagex (Debian wimtools), so the real
    # core can open it: its boot files are placeholders, which is all the media layout reads.
    param(
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [string] $Tree
    )
    foreach ($file in @('Windows/Boot/EFI/bootmgfw.efi', 'Windows/Boot/DVD/EFI/en-US/efisys.bin', 'Windows/Boot/DVD/EFI/BCD', 'Windows/Boot/DVD/PCAT/boot.sdi', 'Windows/Boot/DVD/PCAT/etfsboot.com', 'Windows/Boot/PCAT/bootmgr', 'Windows/Boot/DVD/PCAT/BCD')) {
        $full = Join-Path -Path $Tree -ChildPath $file
        $null = New-Item -ItemType Directory -Force -Path (Split-Path -Path $full -Parent)
        Set-Content -LiteralPath $full -Value "placeholder $file"
    }
    & wimlib-imagex capture $Tree $Path 'Microsoft Windows PE (x64)' --boot --image-property 'WINDOWS/ARCH=9' | Out-Null
    if ($LASTEXITCODE -ne 0) { throw 'wimlib-imagex capture failed (is wimtools installed?)' }
}

function New-TestContentLibrary {
    # An empty content library: every package id is missing from it (BootImageNotFound, exit 4).
    param([Parameter(Mandatory)] [string] $Path)
    foreach ($folder in @('PkgLib', 'DataLib', 'FileLib')) {
        $null = New-Item -ItemType Directory -Force -Path (Join-Path -Path $Path -ChildPath $folder)
    }
}
