# How the module behaves in the scripts admins write and in scheduled tasks, each run as a real
# 'pwsh -NoProfile -NonInteractive -File task.ps1' child process against the real core
# (dist/capture-media.cjs): errors that stop (-ErrorAction Stop, $ErrorActionPreference, try/catch),
# the exit code on the error record, prompts only before destruction and never a hang (stdin at
# /dev/null, stdin an open pipe nobody writes to), and a ported New-CMCaptureMedia script that
# never erases a disk it did not ask to format.

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'TestSupport.ps1')
    $script:repoRoot = (Resolve-Path -LiteralPath (Join-Path -Path $PSScriptRoot -ChildPath '../..')).ProviderPath
    $script:manifest = Join-Path -Path $script:repoRoot -ChildPath 'module/CaptureMedia.psd1'
    $script:realCli = Get-TestCorePath -RepoRoot $script:repoRoot
    $script:savedEnvironment = Save-TestEnvironment -Name @('CAPTUREMEDIA_CLI', 'CAPTUREMEDIA_NODE', 'CAPTUREMEDIA_NO_LOG')
    $env:CAPTUREMEDIA_CLI = $script:realCli
    $env:CAPTUREMEDIA_NODE = $null
    $env:CAPTUREMEDIA_NO_LOG = '1'
    # pwsh from PATH: this process may be the dotnet host running the PowerShell global tool.
    $script:pwsh = (Get-Command -Name 'pwsh' -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source

    $script:bootWim = Join-Path -Path $TestDrive -ChildPath 'boot.wim'
    New-TestBootWim -Path $script:bootWim -Tree (Join-Path -Path $TestDrive -ChildPath 'winpe')
    $script:contentLibrary = Join-Path -Path $TestDrive -ChildPath 'SCCMContentLib'
    New-TestContentLibrary -Path $script:contentLibrary

    function Invoke-TaskScript {
        # Runs a script as a scheduled task would: pwsh -NonInteractive -File, stdin either
        # /dev/null (NUL on Windows) or an open pipe nobody writes to. A run that does not end
        # within -TimeoutSeconds is killed and reported as TimedOut (the hang this must never be).
        param([string] $Name, [string] $Body, [ValidateSet('DevNull', 'OpenPipe')] [string] $Stdin = 'DevNull', [int] $TimeoutSeconds = 90)
        $file = Join-Path -Path $TestDrive -ChildPath ($Name + '.ps1')
        $prologue = "Import-Module -Name '$($script:manifest)'`n`$bootWim = '$($script:bootWim)'`n`$contentLibrary = '$($script:contentLibrary)'`n`$out = '$TestDrive'`n"
        Set-Content -LiteralPath $file -Value ($prologue + $Body) -Encoding UTF8
        $startInfo = New-Object -TypeName System.Diagnostics.ProcessStartInfo
        $arguments = @('-NoProfile', '-NonInteractive', '-File', $file)
        if ($Stdin -eq 'DevNull' -and -not $IsWindows) {
            # sh opens /dev/null as stdin, then becomes pwsh ("$0" is pwsh, "$@" its arguments).
            $startInfo.FileName = '/bin/sh'
            foreach ($argument in @('-c', 'exec "$0" "$@" </dev/null', $script:pwsh) + $arguments) { $startInfo.ArgumentList.Add($argument) }
        }
        else {
            $startInfo.FileName = $script:pwsh
            foreach ($argument in $arguments) { $startInfo.ArgumentList.Add($argument) }
            $startInfo.RedirectStandardInput = $true
        }
        $startInfo.UseShellExecute = $false
        $startInfo.RedirectStandardOutput = $true
        $startInfo.RedirectStandardError = $true
        $process = [System.Diagnostics.Process]::Start($startInfo)
        if ($Stdin -eq 'DevNull' -and $IsWindows) { $process.StandardInput.Close() }
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        $timedOut = -not $process.WaitForExit($TimeoutSeconds * 1000)
        if ($timedOut) { $process.Kill() ; $process.WaitForExit() }
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            TimedOut = $timedOut
            StdOut   = $stdout.Result
            StdErr   = $stderr.Result
            Lines    = @($stdout.Result -split '\r?\n' | Where-Object { $_ })
        }
    }
}

AfterAll {
    Restore-TestEnvironment -Saved $script:savedEnvironment
}

# Each child pwsh costs seconds on a shared machine, so one script checks several things where
# its first failure would not hide the others.
Describe 'Errors that stop a script (pwsh -NonInteractive -File)' {
    It '-ErrorAction Stop ends the script with a non-zero exit (the issue''s task3.ps1)' {
        $run = Invoke-TaskScript -Name 'task3' -Body @'
New-CaptureMedia -MediaType CdDvd -Path (Join-Path $out 'task3.iso') -BootImage PKG99999 -DistributionPoint $contentLibrary -Confirm:$false -ErrorAction Stop
'AFTER: script continued past -ErrorAction Stop'
'@
        $run.TimedOut | Should -BeFalse
        $run.StdOut | Should -Not -Match 'AFTER'
        $run.ExitCode | Should -Not -Be 0
        $run.StdErr | Should -Match 'PKG99999'
    }

    It '$ErrorActionPreference = ''Stop'' ends the script with a non-zero exit, also for errors the module finds itself (CoreNotFound)' {
        $run = Invoke-TaskScript -Name 'preference' -Body @'
$ErrorActionPreference = 'Stop'
try { New-CaptureMedia -MediaType CdDvd -Path (Join-Path $out 'pref.iso') -BootImage PKG99999 -DistributionPoint $contentLibrary; 'NOT STOPPED' } catch { 'STOPPED=' + $_.FullyQualifiedErrorId }
$env:CAPTUREMEDIA_CLI = Join-Path $out 'missing-core.js'
Get-CaptureMediaDisk
'AFTER'
'@
        $run.TimedOut | Should -BeFalse
        $run.Lines | Should -Contain 'STOPPED=BootImageNotFound,New-CaptureMedia'
        $run.StdOut | Should -Not -Match 'AFTER|NOT STOPPED'
        $run.StdErr | Should -Match 'CAPTUREMEDIA_CLI'
        $run.ExitCode | Should -Not -Be 0
    }

    It 'try/catch catches it with or without -ErrorAction Stop, with the id, category and exit code; the default preference ends only the statement' {
        $run = Invoke-TaskScript -Name 'trycatch' -Body @'
try {
    New-CaptureMedia -MediaType CdDvd -Path (Join-Path $out 'try.iso') -BootImage PKG99999 -DistributionPoint $contentLibrary
    'NOT CAUGHT'
}
catch {
    'A.ID=' + $_.FullyQualifiedErrorId
    'A.CATEGORY=' + $_.CategoryInfo.Category
    'A.EXIT=' + $_.Exception.Data['ExitCode']
}
try { New-CaptureMedia -MediaType CdDvd -Path (Join-Path $out 'x.txt') -BootImage $bootWim -ErrorAction Stop } catch { 'B.ID=' + $_.FullyQualifiedErrorId; 'B.EXIT=' + $_.Exception.Data['ExitCode']; 'B.TYPE=' + $_.Exception.GetType().FullName }
$env:CAPTUREMEDIA_CLI = Join-Path $out 'missing-core.js'
try { Get-CaptureMediaDisk -ErrorAction Stop; 'NOT CAUGHT' } catch { 'C.ID=' + $_.FullyQualifiedErrorId; 'C.EXIT=' + $_.Exception.Data['ExitCode'] }
Get-CaptureMediaDisk
'D.AFTER'
exit 4
'@
        $run.TimedOut | Should -BeFalse
        $run.StdOut | Should -Not -Match 'NOT CAUGHT'
        foreach ($line in @('A.ID=BootImageNotFound,New-CaptureMedia', 'A.CATEGORY=ResourceUnavailable', 'A.EXIT=4', 'B.ID=OutputPathInvalid,New-CaptureMedia', 'B.EXIT=2', 'B.TYPE=System.ArgumentException', 'C.ID=CoreNotFound,Get-CaptureMediaDisk', 'C.EXIT=3', 'D.AFTER')) {
            $run.Lines | Should -Contain $line
        }
        $run.ExitCode | Should -Be 4
    }
}

Describe 'Prompts only before destruction, never a hang (pwsh -NonInteractive -File)' {
    It 'stdin <_>: a new ISO is written without a question; replacing one without -Force fails at once with ConfirmationRequired and stops the script' -ForEach @('DevNull', 'OpenPipe') {
        $iso = Join-Path -Path $TestDrive -ChildPath ("new-{0}.iso" -f $_)
        $existing = Join-Path -Path $TestDrive -ChildPath ("existing-{0}.iso" -f $_)
        Set-Content -LiteralPath $existing -Value 'precious'
        $run = Invoke-TaskScript -Name ('prompts-' + $_) -Stdin $_ -Body @"
`$result = New-CaptureMedia -MediaType CdDvd -Path '$iso' -BootImage `$bootWim -ErrorAction Stop
'VERIFIED=' + `$result.Verified
try { New-CaptureMedia -MediaType CdDvd -Path '$existing' -BootImage `$bootWim } catch { 'ID=' + `$_.FullyQualifiedErrorId; 'EXIT=' + `$_.Exception.Data['ExitCode'] }
New-CaptureMedia -MediaType CdDvd -Path '$existing' -BootImage `$bootWim
'AFTER'
"@
        $run.TimedOut | Should -BeFalse -Because 'a question must never wait on stdin'
        $run.Lines | Should -Contain 'VERIFIED=True' -Because $run.StdErr
        $iso | Should -Exist
        $run.Lines | Should -Contain 'ID=ConfirmationRequired,New-CaptureMedia'
        $run.Lines | Should -Contain 'EXIT=3'
        $run.StdOut | Should -Not -Match 'AFTER' -Because 'a confirmation nobody can give stops the script'
        $run.ExitCode | Should -Not -Be 0 -Because 'it must not look like success'
        $run.StdErr | Should -Match 'confirmation'
        $run.StdErr | Should -Not -Match 'PSInvalidOperationException|Object reference'
        Get-Content -Raw -LiteralPath $existing | Should -Match 'precious'
    }

    It 'replacing with -Force (or -Confirm:$false) asks nothing and replaces' {
        $iso = Join-Path -Path $TestDrive -ChildPath 'replaced.iso'
        $image = Join-Path -Path $TestDrive -ChildPath 'replaced.img'
        Set-Content -LiteralPath $iso -Value 'old'
        Set-Content -LiteralPath $image -Value 'old'
        $run = Invoke-TaskScript -Name 'replace-force' -Stdin OpenPipe -Body @"
`$null = New-CaptureMedia -MediaType CdDvd -Path '$iso' -BootImage `$bootWim -Force -ErrorAction Stop
`$null = New-CaptureMedia -MediaType UsbImage -Path '$image' -BootImage `$bootWim -Confirm:`$false -ErrorAction Stop
'DONE'
"@
        $run.TimedOut | Should -BeFalse
        $run.Lines | Should -Contain 'DONE' -Because $run.StdErr
        (Get-Item -LiteralPath $iso).Length | Should -BeGreaterThan 100000
        (Get-Item -LiteralPath $image).Length | Should -BeGreaterThan 1000000
    }
}

Describe 'A ported New-CMCaptureMedia script (only the cmdlet name changed)' {
    It 'never erases without -FormatMedia, copies onto a mounted volume, and runs New-CMCaptureMedia''s documented syntax' {
        # The "stick": a file standing in for a drive that has no mounted FAT32 volume (nothing may
        # write to it). The "volume": a folder standing in for E:, holding a file of its own.
        $stick = Join-Path -Path $TestDrive -ChildPath 'stick.bin'
        [System.IO.File]::WriteAllBytes($stick, [byte[]](1..255))
        $volume = Join-Path -Path $TestDrive -ChildPath 'volumeE'
        $null = New-Item -ItemType Directory -Path $volume
        Set-Content -LiteralPath (Join-Path -Path $volume -ChildPath 'keep.txt') -Value 'keep me'
        $iso = Join-Path -Path $TestDrive -ChildPath 'cm-ported.iso'
        # New-CMCaptureMedia [-AllowUacPrompt] -BootImage <IResultObject> -DistributionPoint <IResultObject[]>
        #   [-Force] [-FormatMedia] [-SiteCode <String>] -MediaType <Usb|CdDvd> [-NoAutoRun] -Path <String>
        #   [-TemporaryFolder <String>] [-WhatIf] [-Confirm]
        # The objects stand in for Get-CMBootImage / Get-CMDistributionPoint results (FAKES shaped
        # like SMS_BootImagePackage and SMS_SCI_SysResUse: there is no site here).
        $run = Invoke-TaskScript -Name 'cm-ported' -Stdin OpenPipe -Body @"
try { New-CaptureMedia -MediaType Usb -DriveName '$stick' -BootImagePackage `$bootWim -Force -ErrorAction Stop } catch { 'USB.ID=' + `$_.FullyQualifiedErrorId; 'USB.MESSAGE=' + `$_.Exception.Message }
`$result = New-CaptureMedia -MediaType Usb -Path '$volume' -BootImage `$bootWim -Force -ErrorAction Stop
'VOLUME.VERIFIED=' + `$result.Verified
`$bootImage = [pscustomobject]@{ PackageID = 'PS100004'; Name = 'Boot image (x64)'; ImagePath = '\\cm01\SMS_PS1\osd\boot\x64\boot.wim' }
`$dp = [pscustomobject]@{ NetworkOSPath = '\\DP01.contoso.com'; NALPath = '["Display=\\DP01.contoso.com\"]MSWNET:["SMS_SITE=PS1"]\\DP01.contoso.com\'; RoleName = 'SMS Distribution Point'; SiteCode = 'PS1' }
New-CaptureMedia -MediaType CdDvd -Path '$iso' -BootImage `$bootImage -DistributionPoint `$dp -SiteCode PS1 -AllowUacPrompt -NoAutoRun -TemporaryFolder `$out -Force -WhatIf -Verbose -ErrorAction Stop 4>&1 | ForEach-Object { 'V: ' + `$_ }
'DONE'
"@
        $run.TimedOut | Should -BeFalse
        $run.Lines | Should -Contain 'USB.ID=FormatMediaRequired,New-CaptureMedia'
        ($run.Lines | Where-Object { $_ -like 'USB.MESSAGE=*' }) | Should -Match 'Add -FormatMedia'
        ($run.Lines | Where-Object { $_ -like 'USB.MESSAGE=*' }) | Should -Not -Match '--'
        [System.IO.File]::ReadAllBytes($stick) | Should -Be ([byte[]](1..255))
        $run.Lines | Should -Contain 'VOLUME.VERIFIED=True'
        Join-Path -Path $volume -ChildPath 'keep.txt' | Should -Exist
        Join-Path -Path $volume -ChildPath 'sources/boot.wim' | Should -Exist
        # The share of a DP that does not exist here: the core names the path it could not read.
        $run.StdErr + $run.StdOut | Should -Match 'DP01\.contoso\.com\\SCCMContentLib\$'
        $run.StdOut | Should -Match '-SiteCode is accepted for New-CMCaptureMedia scripts and ignored'
        $run.StdOut | Should -Match '-AllowUacPrompt is accepted'
        $run.StdErr | Should -Not -Match 'ParameterBindingException|A parameter cannot be found'
    }
}
