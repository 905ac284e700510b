# The module talking to a core over the NDJSON bridge (docs/bridge.md).
#  - 'Real core': the repository's own bundled core dist/capture-media.cjs (build it with 'npm run build').
#  - 'Event mapping': test/pester/fakes/fake-bridge.mjs, a FAKE core that replays scripted events,
#    to pin down how each event type becomes a PowerShell stream record.
#  - 'Node version check': a FAKE node that only prints v18.0.0.

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'TestSupport.ps1')
    $script:repoRoot = (Resolve-Path -LiteralPath (Join-Path -Path $PSScriptRoot -ChildPath '../..')).ProviderPath
    Import-Module -Name (Join-Path -Path $script:repoRoot -ChildPath 'module/CaptureMedia.psd1') -Force
    $script:realCli = Join-Path -Path $script:repoRoot -ChildPath 'dist/capture-media.cjs'
    $script:fakeCli = Join-Path -Path $PSScriptRoot -ChildPath 'fakes/fake-bridge.mjs'
    $script:savedEnvironment = Save-TestEnvironment -Name @('CAPTUREMEDIA_CLI', 'CAPTUREMEDIA_NODE', 'CAPTUREMEDIA_NO_LOG')
    # The core's default CMTrace log goes to a system folder; the tests do not need it.
    $env:CAPTUREMEDIA_NO_LOG = '1'

    function Set-FakeBridge {
        param([object[]] $Events = @(), [int] $ExitCode = 0, [hashtable] $Extra = @{})
        $env:CAPTUREMEDIA_CLI = $script:fakeCli
        $env:FAKE_BRIDGE_EVENTS = ConvertTo-Json -InputObject @($Events) -Depth 6 -Compress
        $env:FAKE_BRIDGE_EXIT = [string]$ExitCode
        $env:FAKE_BRIDGE_REQUEST_FILE = Join-Path -Path $TestDrive -ChildPath 'request.json'
        foreach ($name in @('FAKE_BRIDGE_STDERR', 'FAKE_BRIDGE_STDERR_BYTES', 'FAKE_BRIDGE_WAIT_FOR_CANCEL', 'FAKE_BRIDGE_CANCEL_FILE')) {
            [Environment]::SetEnvironmentVariable($name, $null)
        }
        foreach ($key in $Extra.Keys) {
            [Environment]::SetEnvironmentVariable($key, [string]$Extra[$key])
        }
        Remove-Item -LiteralPath $env:FAKE_BRIDGE_REQUEST_FILE -ErrorAction SilentlyContinue
    }

    function Get-FakeRequest {
        Get-Content -Raw -LiteralPath (Join-Path -Path $TestDrive -ChildPath 'request.json') | ConvertFrom-Json
    }
}

AfterAll {
    Restore-TestEnvironment -Saved $script:savedEnvironment
    foreach ($name in @('FAKE_BRIDGE_EVENTS', 'FAKE_BRIDGE_EXIT', 'FAKE_BRIDGE_REQUEST_FILE', 'FAKE_BRIDGE_STDERR', 'FAKE_BRIDGE_STDERR_BYTES', 'FAKE_BRIDGE_WAIT_FOR_CANCEL', 'FAKE_BRIDGE_CANCEL_FILE')) {
        [Environment]::SetEnvironmentVariable($name, $null)
    }
    Remove-Module -Name CaptureMedia -Force -ErrorAction SilentlyContinue
}

Describe 'Real core (dist/capture-media.cjs)' {
    BeforeAll {
        $env:CAPTUREMEDIA_CLI = Get-TestCorePath -RepoRoot $script:repoRoot
        $env:CAPTUREMEDIA_NODE = $null
        # -WhatIf reads the boot image to tell what it would write, so the core needs a real one.
        $script:bootWim = Join-Path -Path $TestDrive -ChildPath 'boot.wim'
        New-TestBootWim -Path $script:bootWim -Tree (Join-Path -Path $TestDrive -ChildPath 'winpe')
    }
    BeforeEach {
        $env:CAPTUREMEDIA_CLI = $script:realCli
    }

    It 'refuses an ISO path that is not .iso with OutputPathInvalid (terminating with -ErrorAction Stop)' {
        $target = Join-Path -Path $TestDrive -ChildPath 'x.txt'
        $caught = $null
        try {
            New-CaptureMedia -MediaType CdDvd -Path $target -BootImage $script:bootWim -Confirm:$false -ErrorAction Stop
        }
        catch {
            $caught = $_
        }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'OutputPathInvalid*'
        $caught.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::InvalidArgument)
        $caught.CategoryInfo.Activity | Should -Be 'New-CaptureMedia'
        [string]$caught.TargetObject | Should -BeLike '*x.txt'
        $caught.Exception | Should -BeOfType ([System.ArgumentException])
    }

    It 'Should -Throw sees the core''s id' {
        { New-CaptureMedia -MediaType CdDvd -Path (Join-Path -Path $TestDrive -ChildPath 'x.txt') -BootImage $script:bootWim -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'OutputPathInvalid,*'
    }

    It 'a core error stops the statement, not the script, under the default ErrorActionPreference' {
        # In a fresh runspace: inside Pester's own try/catch every terminating error would propagate.
        $target = Join-Path -Path $TestDrive -ChildPath 'x.txt'
        $shell = [powershell]::Create()
        try {
            $script = {
                param($Manifest, $Target, $BootImage)
                Import-Module -Name $Manifest
                New-CaptureMedia -MediaType CdDvd -Path $Target -BootImage $BootImage -Confirm:$false
                'continued'
            }
            $manifest = Join-Path -Path $script:repoRoot -ChildPath 'module/CaptureMedia.psd1'
            [void]$shell.AddScript($script.ToString()).AddArgument($manifest).AddArgument($target).AddArgument($script:bootWim)
            $output = @($shell.Invoke())
            $output | Should -Be @('continued')
            $shell.Streams.Error.Count | Should -Be 1
            $shell.Streams.Error[0].FullyQualifiedErrorId | Should -Be 'OutputPathInvalid,New-CaptureMedia'
        }
        finally {
            $shell.Dispose()
        }
    }

    It 'passes a label the core refuses through to the core (LabelInvalid)' {
        { New-CaptureMedia -MediaType CdDvd -Path (Join-Path -Path $TestDrive -ChildPath 'out.iso') -BootImage $script:bootWim -MediaLabel ('L' * 40) -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'LabelInvalid,*'
    }

    It 'resolves a relative output path against the PowerShell location' {
        Push-Location -LiteralPath $TestDrive
        try {
            { New-CaptureMedia -MediaType CdDvd -Path 'relative.txt' -BootImage $script:bootWim -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'OutputPathInvalid,*'
            $errorRecord = $Error[0]
            [string]$errorRecord.TargetObject | Should -BeLike ((Join-Path -Path $TestDrive -ChildPath 'relative.txt') + '*')
        }
        finally {
            Pop-Location
        }
    }

    It '-WhatIf sends whatIf: the core validates, outputs nothing, and no file is written' {
        $iso = Join-Path -Path $TestDrive -ChildPath 'whatif.iso'
        $output = New-CaptureMedia -MediaType CdDvd -Path $iso -BootImage $script:bootWim -WhatIf -ErrorAction Stop
        $output | Should -BeNullOrEmpty
        $iso | Should -Not -Exist
    }

    It 'New-CaptureMedia -ClientSource builds media with the launcher: CaptureLauncher and ClientFiles on the result' {
        $osd = Join-Path -Path $TestDrive -ChildPath 'OSD/bin/x64'
        $null = New-Item -ItemType Directory -Force -Path $osd
        Set-Content -LiteralPath (Join-Path -Path $osd -ChildPath 'TSMBAutorun.exe') -Value 'STAND-IN launcher (test fixture)'
        $iso = Join-Path -Path $TestDrive -ChildPath 'client.iso'
        $result = New-CaptureMedia -MediaType CdDvd -Path $iso -BootImage $script:bootWim -ClientSource (Join-Path -Path $TestDrive -ChildPath 'OSD/bin') -RequireCaptureLauncher -Confirm:$false -ErrorAction Stop
        $result.CaptureLauncher | Should -BeTrue
        $result.ClientFiles | Should -Be 'ClientSource'
        (Test-CaptureMedia -Path $iso).CaptureLauncher | Should -BeTrue
    }

    It 'New-CaptureMedia without a client source warns that the media cannot start a capture' {
        $iso = Join-Path -Path $TestDrive -ChildPath 'plain.iso'
        $result = New-CaptureMedia -MediaType CdDvd -Path $iso -BootImage $script:bootWim -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
        $result.CaptureLauncher | Should -BeFalse
        ($warnings -join ' ') | Should -Match 'TSMBAutorun\.exe.*-ClientSource.*-Template'
        { New-CaptureMedia -MediaType CdDvd -Path (Join-Path -Path $TestDrive -ChildPath 'strict.iso') -BootImage $script:bootWim -RequireCaptureLauncher -Confirm:$false -ErrorAction Stop -WarningAction SilentlyContinue } | Should -Throw -ErrorId 'CaptureLauncherMissing,*'
    }

    It 'Compare-CaptureMedia outputs one CompareResult whose Differences are typed objects; -ExpectDifferent makes it Same' {
        $reference = Join-Path -Path $TestDrive -ChildPath 'cmp-ref'
        $difference = Join-Path -Path $TestDrive -ChildPath 'cmp-dif'
        foreach ($folder in @($reference, $difference)) {
            $null = New-Item -ItemType Directory -Force -Path (Join-Path -Path $folder -ChildPath 'SMS/data')
            Set-Content -LiteralPath (Join-Path -Path $folder -ChildPath 'SMS/data/TsmBootstrap.ini') -Value "[MediaInfo]`r`nMediaType=FullMedia"
        }
        Set-Content -LiteralPath (Join-Path -Path $reference -ChildPath 'a.txt') -Value 'one'
        Set-Content -LiteralPath (Join-Path -Path $difference -ChildPath 'a.txt') -Value 'two'
        $result = Compare-CaptureMedia -ReferencePath $reference -DifferencePath $difference
        $result.PSObject.TypeNames[0] | Should -Be 'CaptureMedia.CompareResult'
        $result.Same | Should -BeFalse
        @($result.Differences).Count | Should -Be 1
        $result.Differences[0].PSObject.TypeNames[0] | Should -Be 'CaptureMedia.Difference'
        $result.Differences[0].Kind | Should -Be 'Content'
        $result.Differences[0].Path | Should -Be 'a.txt'
        @($result.TsmBootstrap)[0].Key | Should -Be 'MediaType'
        (Compare-CaptureMedia -ReferencePath $reference -DifferencePath $difference -ExpectDifferent 'A.TXT').Same | Should -BeTrue
    }

    It '-WhatIf still reports invalid parameters' {
        { New-CaptureMedia -MediaType CdDvd -Path (Join-Path -Path $TestDrive -ChildPath 'x.txt') -BootImage $script:bootWim -WhatIf -ErrorAction Stop } | Should -Throw -ErrorId 'OutputPathInvalid,*'
    }
}

Describe 'Event mapping (fake core)' {
    BeforeEach {
        $env:CAPTUREMEDIA_NODE = $null
    }

    It 'sends a protocol 1 create request with only the bound parameters' {
        Set-FakeBridge
        $iso = Join-Path -Path $TestDrive -ChildPath 'capture.iso'
        New-CaptureMedia -MediaType CdDvd -Path $iso -BootImage PS100004 -DistributionPoint '\\dp01\SCCMContentLib$' -MediaSize Size4GB -IncludeAutoRun -Confirm:$false
        $request = Get-FakeRequest
        $request.protocol | Should -Be 1
        $request.command | Should -Be 'create'
        $names = @($request.params.PSObject.Properties.Name | Sort-Object)
        # No 'yes': a new ISO destroys nothing, so nothing was confirmed.
        Compare-Object -ReferenceObject @('bootImage', 'distributionPoint', 'includeAutoRun', 'mediaSize', 'mediaType', 'path') -DifferenceObject $names | Should -BeNullOrEmpty
        $request.params.mediaType | Should -Be 'CdDvd'
        @($request.params.path) | Should -Be @($iso)
        $request.params.bootImage | Should -Be 'PS100004'
        $request.params.includeAutoRun | Should -BeTrue
    }

    It 'sends -BootManager as bootManager' {
        Set-FakeBridge
        New-CaptureMedia -MediaType CdDvd -Path (Join-Path -Path $TestDrive -ChildPath 'capture.iso') -BootImage PS100004 -BootManager 2023 -Confirm:$false
        (Get-FakeRequest).params.bootManager | Should -Be '2023'
    }

    It 'sends a one-element -Path as a JSON array' {
        Set-FakeBridge
        New-CaptureMedia -MediaType Usb -Path 3 -BootImage PS100004 -Force
        (Get-Content -Raw -LiteralPath (Join-Path -Path $TestDrive -ChildPath 'request.json')) | Should -Match '"path":\["3"\]'
        (Get-FakeRequest).params.force | Should -BeTrue
    }

    It '-WhatIf sends whatIf (not yes) and turns the core''s plan into What if: lines, with no result' {
        Set-FakeBridge -Events @(
            @{ type = 'log'; level = 'info'; message = 'select disk 3' }
        )
        $output = New-CaptureMedia -MediaType Usb -Path 3 -BootImage PS100004 -WhatIf -InformationVariable info
        $output | Should -BeNullOrEmpty
        $request = Get-FakeRequest
        $request.params.whatIf | Should -BeTrue
        $request.params.PSObject.Properties.Name | Should -Not -Contain 'yes'
        $info | Should -BeNullOrEmpty
    }

    It 'refuses an unelevated -FormatMedia run with PermissionDenied before the confirmation prompt, and never starts the core' {
        Set-FakeBridge -Events @(@{ type = 'result'; data = @{ Number = 3 } })
        Mock -ModuleName CaptureMedia Test-CaptureMediaElevation { $false }
        $caught = $null
        # No -Confirm:$false: a prompt would fail in this non-interactive session, so this also shows none came first.
        try { New-CaptureMedia -MediaType Usb -FormatMedia -Path 3 -BootImage PS100004 -ErrorAction Stop } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be 'PermissionDenied,New-CaptureMedia'
        $caught.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::PermissionDenied)
        $caught.Exception | Should -BeOfType ([System.UnauthorizedAccessException])
        $caught.Exception.Message | Should -Match 'Run as administrator'
        Test-Path -LiteralPath $env:FAKE_BRIDGE_REQUEST_FILE | Should -BeFalse
    }

    It 'still shows the -WhatIf plan when not elevated (it changes nothing)' {
        Set-FakeBridge -Events @(@{ type = 'log'; level = 'info'; message = 'select disk 3' })
        Mock -ModuleName CaptureMedia Test-CaptureMediaElevation { $false }
        New-CaptureMedia -MediaType Usb -Path 3 -BootImage PS100004 -WhatIf
        (Get-FakeRequest).params.whatIf | Should -BeTrue
    }

    It 'Test-CaptureMediaElevation answers for this session (always true off Windows, where the core checks for root)' {
        $expected = $true
        if ([System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT) {
            $principal = New-Object -TypeName System.Security.Principal.WindowsPrincipal -ArgumentList ([System.Security.Principal.WindowsIdentity]::GetCurrent())
            $expected = $principal.IsInRole([System.Security.Principal.WindowsBuiltInRole]::Administrator)
        }
        InModuleScope CaptureMedia { Test-CaptureMediaElevation } | Should -Be $expected
    }

    It 'collects pipeline input and runs the core once, with every disk' {
        Set-FakeBridge -Events @(
            @{ type = 'result'; data = @{ MediaType = 'Usb'; Path = @('/dev/sdb') } },
            @{ type = 'result'; data = @{ MediaType = 'Usb'; Path = @('/dev/sdc') } }
        )
        $disks = @(
            [pscustomobject]@{ PSTypeName = 'CaptureMedia.Disk'; Number = 1; Path = '/dev/sdb'; Bus = 'USB' },
            [pscustomobject]@{ PSTypeName = 'CaptureMedia.Disk'; Number = 2; Path = '/dev/sdc'; Bus = 'USB' }
        )
        $output = @($disks | New-CaptureMedia -MediaType Usb -BootImage PS100004 -Confirm:$false)
        $output.Count | Should -Be 2
        @((Get-FakeRequest).params.path) | Should -Be @('/dev/sdb', '/dev/sdc')
    }

    It 'binds -Path from strings on the pipeline' {
        Set-FakeBridge
        '3', '4' | New-CaptureMedia -MediaType Usb -BootImage PS100004 -Confirm:$false
        @((Get-FakeRequest).params.path) | Should -Be @('3', '4')
    }

    It 'writes result events as typed objects' {
        Set-FakeBridge -Events @(
            @{ type = 'result'; data = @{ MediaType = 'CdDvd'; Path = @('/out/capture1.iso', '/out/capture2.iso'); Label = 'Configuration Manager'; Bytes = 5000000000; Verified = $true } }
        )
        $result = New-CaptureMedia -MediaType CdDvd -Path (Join-Path -Path $TestDrive -ChildPath 'capture.iso') -BootImage PS100004 -Confirm:$false
        $result.PSObject.TypeNames[0] | Should -Be 'CaptureMedia.Result'
        $result.Label | Should -Be 'Configuration Manager'
        $result.Bytes | Should -Be 5000000000
        @($result.Path).Count | Should -Be 2
        ($result | Format-Table | Out-String) | Should -Match 'MediaType'
    }

    It 'types boot images, disks and verify results by command' {
        Set-FakeBridge -Events @(@{ type = 'result'; data = @{ Id = 'PS100004'; Name = 'Boot image (x64)'; Architecture = 'x64' } })
        (Get-CaptureMediaBootImage -DistributionPoint $TestDrive).PSObject.TypeNames[0] | Should -Be 'CaptureMedia.BootImage'
        (Get-FakeRequest).command | Should -Be 'boot-images'
        @((Get-FakeRequest).params.distributionPoint) | Should -Be @($TestDrive)

        Set-FakeBridge -Events @(@{ type = 'result'; data = @{ Number = 3; DevicePath = '\\.\PhysicalDrive3'; Bus = 'USB' } })
        $disk = Get-CaptureMediaDisk
        $disk.PSObject.TypeNames[0] | Should -Be 'CaptureMedia.Disk'
        $disk.Path | Should -Be '\\.\PhysicalDrive3' -Because 'a disk always has a Path to bind New-CaptureMedia -Path'
        (Get-FakeRequest).command | Should -Be 'disks'

        Set-FakeBridge -Events @(@{ type = 'result'; data = @{ Path = 'x.iso'; Verified = $true } })
        (Test-CaptureMedia -Path (Join-Path -Path $TestDrive -ChildPath 'x.iso')).PSObject.TypeNames[0] | Should -Be 'CaptureMedia.VerifyResult'
        (Get-FakeRequest).command | Should -Be 'verify'
    }

    It 'maps log levels to Verbose, Information and Warning' {
        Set-FakeBridge -Events @(
            @{ type = 'log'; level = 'verbose'; message = 'a verbose line' },
            @{ type = 'log'; level = 'info'; message = 'an info line' },
            @{ type = 'log'; level = 'warning'; message = 'a warning line' }
        )
        $records = Get-CaptureMediaDisk -Verbose -InformationAction Continue -WarningAction Continue 4>&1 6>&1 3>&1
        $verbose = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $verbose | Should -Contain 'a verbose line'
        @($records | Where-Object { $_ -is [System.Management.Automation.InformationRecord] } | ForEach-Object { [string]$_.MessageData }) | Should -Contain 'an info line'
        @($records | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object Message) | Should -Contain 'a warning line'
    }

    It 'writes one progress bar per phase, throttled, and completes them all' {
        $events = @(@{ type = 'progress'; phase = 'verify'; percent = 0; bytesDone = 0; bytesTotal = 1048576; status = 'Verifying an earlier medium' })
        foreach ($i in 1..30) { $events += @{ type = 'progress'; phase = 'write'; percent = $i; bytesDone = $i; bytesTotal = 100; status = 'Writing capture.iso' } }
        $events += @{ type = 'progress'; phase = 'write'; percent = 100; bytesDone = 100; bytesTotal = 100; status = 'Writing capture.iso' }
        $events += @{ type = 'result'; data = @{ MediaType = 'CdDvd' } }
        Set-FakeBridge -Events $events
        $env:CAPTUREMEDIA_NODE = $null
        $shell = [powershell]::Create()
        try {
            $manifest = Join-Path -Path $script:repoRoot -ChildPath 'module/CaptureMedia.psd1'
            $iso = Join-Path -Path $TestDrive -ChildPath 'progress.iso'
            [void]$shell.AddScript('param($Manifest, $Iso) Import-Module -Name $Manifest; New-CaptureMedia -MediaType CdDvd -Path $Iso -BootImage PS100004 -Confirm:$false').AddArgument($manifest).AddArgument($iso)
            $output = @($shell.Invoke())
            $output.Count | Should -Be 1
            $records = @($shell.Streams.Progress)
            $processing = @($records | Where-Object { $_.RecordType -eq 'Processing' })
            @($processing | ForEach-Object Activity | Select-Object -Unique) | Should -Be @('Verifying capture media', 'Writing capture media')
            $writes = @($processing | Where-Object { $_.Activity -eq 'Writing capture media' })
            $writes.Count | Should -BeLessThan 10 -Because '31 write events arrive within a few milliseconds and are throttled to about 4 a second'
            $writes[-1].PercentComplete | Should -Be 100 -Because 'the last event of a phase is always shown'
            $writes[0].StatusDescription | Should -Match 'Writing capture\.iso'
            $completed = @($records | Where-Object { $_.RecordType -eq 'Completed' })
            $completed.Count | Should -Be 2
        }
        finally {
            $shell.Dispose()
        }
    }

    It 'turns an error event into an ErrorRecord with the core''s id, category and target' {
        Set-FakeBridge -ExitCode 3 -Events @(@{ type = 'error'; id = 'DiskIsSystem'; category = 'PermissionDenied'; message = 'Disk 0 is the system disk.'; target = '0' })
        $caught = $null
        try { New-CaptureMedia -MediaType Usb -Path 0 -BootImage PS100004 -Confirm:$false -ErrorAction Stop } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be 'DiskIsSystem,New-CaptureMedia'
        $caught.CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::PermissionDenied)
        $caught.TargetObject | Should -Be '0'
        $caught.Exception.Message | Should -Be 'Disk 0 is the system disk.'
        $caught.Exception | Should -BeOfType ([System.UnauthorizedAccessException])
    }

    It 'an error before any result is terminating even without -ErrorAction Stop' {
        Set-FakeBridge -ExitCode 4 -Events @(@{ type = 'error'; id = 'BootImageNotFound'; category = 'ResourceUnavailable'; message = 'No package PS100099.' })
        $reached = $false
        try {
            New-CaptureMedia -MediaType CdDvd -Path (Join-Path -Path $TestDrive -ChildPath 'e.iso') -BootImage PS100099 -Confirm:$false
            $reached = $true
        }
        catch {
            $_.FullyQualifiedErrorId | Should -BeLike 'BootImageNotFound*'
        }
        $reached | Should -BeFalse
    }

    It 'an error after some results is non-terminating: the written media are still output' {
        Set-FakeBridge -ExitCode 5 -Events @(
            @{ type = 'result'; data = @{ MediaType = 'Usb'; Path = @('/dev/sdb') } },
            @{ type = 'error'; id = 'WriteFailed'; category = 'WriteError'; message = 'Writing /dev/sdc failed.'; target = '/dev/sdc' }
        )
        $errors = $null
        $output = @(New-CaptureMedia -MediaType Usb -Path '/dev/sdb', '/dev/sdc' -BootImage PS100004 -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable errors)
        $output.Count | Should -Be 1
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'WriteFailed,New-CaptureMedia'
        $errors[0].CategoryInfo.Category | Should -Be ([System.Management.Automation.ErrorCategory]::WriteError)
    }

    It 'reports a core that dies without an error event as CoreFailed, quoting its stderr' {
        Set-FakeBridge -ExitCode 1 -Extra @{ FAKE_BRIDGE_STDERR = 'capture-media: internal error: boom' }
        $caught = $null
        try { Get-CaptureMediaDisk -ErrorAction Stop } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be 'CoreFailed,Get-CaptureMediaDisk'
        $caught.Exception.Message | Should -Match 'exited with code 1'
        $caught.Exception.Message | Should -Match 'internal error: boom'
    }

    It 'drains a large stderr without deadlocking' {
        Set-FakeBridge -Events @(@{ type = 'result'; data = @{ Number = 1 } }) -Extra @{ FAKE_BRIDGE_STDERR_BYTES = 1048576 }
        $disk = Get-CaptureMediaDisk
        $disk.Number | Should -Be 1
    }

    It 'ignores stdout lines that are not events (shown with -Verbose)' {
        Set-FakeBridge -Events @('not json', @{ type = 'mystery' }, @{ type = 'result'; data = @{ Number = 2 } })
        $disk = Get-CaptureMediaDisk
        $disk.Number | Should -Be 2
    }

    It 'describes USB disks for the confirmation prompt by number, model, bus and size' {
        Set-FakeBridge -Events @(
            @{ type = 'result'; data = @{ Number = 3; Path = '/dev/sdb'; Bus = 'USB'; SizeBytes = 32212254720; Model = 'SanDisk Ultra' } }
        )
        $descriptions = InModuleScope CaptureMedia {
            function Invoke-WithCaller {
                [CmdletBinding()]
                param()
                Get-CaptureMediaDiskDescription -Caller $PSCmdlet -Path @('/dev/sdb', '/dev/sdz')
            }
            Invoke-WithCaller
        }
        $descriptions['/dev/sdb'] | Should -Be "disk 3 'SanDisk Ultra' (USB, 30.0 GiB, /dev/sdb)"
        $descriptions.ContainsKey('/dev/sdz') | Should -BeFalse
    }

    It 'falls back to the typed path when the disk list fails, without ending the command' {
        Set-FakeBridge -ExitCode 3 -Events @(@{ type = 'error'; id = 'NotImplemented'; category = 'ResourceUnavailable'; message = 'no disks here' })
        $result = InModuleScope CaptureMedia {
            function Invoke-WithCaller {
                [CmdletBinding()]
                param()
                $descriptions = Get-CaptureMediaDiskDescription -Caller $PSCmdlet -Path @('/dev/sdb')
                'went on'
                $descriptions.Count
            }
            Invoke-WithCaller
        }
        $result | Should -Be @('went on', 0)
    }

    It 'closes stdin to cancel the core when the pipeline stops early' {
        $cancelFile = Join-Path -Path $TestDrive -ChildPath 'cancelled.txt'
        Set-FakeBridge -Events @(@{ type = 'result'; data = @{ Number = 1 } }) -Extra @{ FAKE_BRIDGE_WAIT_FOR_CANCEL = '1'; FAKE_BRIDGE_CANCEL_FILE = $cancelFile }
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $first = Get-CaptureMediaDisk | Select-Object -First 1
        $watch.Stop()
        $first.Number | Should -Be 1
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 8
        $cancelFile | Should -Exist
    }
}

Describe 'Cancellation (fake core)' {
    It 'stopping the pipeline (what Ctrl+C does) closes stdin; the core cleans up and exits' {
        $cancelFile = Join-Path -Path $TestDrive -ChildPath 'stopped.txt'
        Set-FakeBridge -Extra @{ FAKE_BRIDGE_WAIT_FOR_CANCEL = '1'; FAKE_BRIDGE_CANCEL_FILE = $cancelFile }
        $env:CAPTUREMEDIA_NODE = $null
        $shell = [powershell]::Create()
        try {
            $manifest = Join-Path -Path $script:repoRoot -ChildPath 'module/CaptureMedia.psd1'
            [void]$shell.AddScript('param($Manifest) Import-Module -Name $Manifest; Get-CaptureMediaDisk').AddArgument($manifest)
            $async = $shell.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while (-not (Test-Path -LiteralPath (Join-Path -Path $TestDrive -ChildPath 'request.json')) -and [DateTime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 100
            }
            Join-Path -Path $TestDrive -ChildPath 'request.json' | Should -Exist -Because 'the fake core received the request'
            $async.IsCompleted | Should -BeFalse -Because 'the fake core waits to be cancelled'
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $shell.Stop()
            $watch.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 8
            $cancelFile | Should -Exist
        }
        finally {
            $shell.Dispose()
        }
    }
}

Describe 'Node version check (fake node)' {
    BeforeAll {
        # A FAKE node: it only answers --version with v18.0.0.
        if ($IsWindows) {
            $script:fakeNode = Join-Path -Path $TestDrive -ChildPath 'fake-node-18.cmd'
            Set-Content -LiteralPath $script:fakeNode -Value '@echo v18.0.0'
        }
        else {
            $script:fakeNode = Join-Path -Path $TestDrive -ChildPath 'fake-node-18'
            Set-Content -LiteralPath $script:fakeNode -Value "#!/bin/sh`necho v18.0.0"
            & chmod +x $script:fakeNode
        }
        $env:CAPTUREMEDIA_CLI = $script:realCli
    }
    AfterAll {
        $env:CAPTUREMEDIA_NODE = $null
    }

    It 'refuses Node.js 18 with NodeTooOld' {
        $env:CAPTUREMEDIA_NODE = $script:fakeNode
        $caught = $null
        try { Get-CaptureMediaDisk -ErrorAction Stop } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be 'NodeTooOld,Get-CaptureMediaDisk'
        $caught.Exception.Message | Should -Match 'v18\.0\.0'
        $caught.Exception.Message | Should -Match 'Node\.js 20'
    }

    It 'refuses a CAPTUREMEDIA_NODE that does not exist with NodeNotFound' {
        $env:CAPTUREMEDIA_NODE = Join-Path -Path $TestDrive -ChildPath 'no-such-node'
        { Get-CaptureMediaDisk -ErrorAction Stop } | Should -Throw -ErrorId 'NodeNotFound,*'
    }

    It 'refuses a missing core with CoreNotFound' {
        $env:CAPTUREMEDIA_NODE = $null
        $env:CAPTUREMEDIA_CLI = Join-Path -Path $TestDrive -ChildPath 'missing.js'
        try {
            { Get-CaptureMediaDisk -ErrorAction Stop } | Should -Throw -ErrorId 'CoreNotFound,*'
        }
        finally {
            $env:CAPTUREMEDIA_CLI = $script:realCli
        }
    }
}

Describe 'Module layout in the package' {
    BeforeAll {
        $script:bootWim = Join-Path -Path $TestDrive -ChildPath 'boot.wim'
        Set-Content -LiteralPath $script:bootWim -Value 'not really a WIM'
    }

    It 'finds its core when the current location is not the file system (Env:, as from a ConfigMgr site drive)' {
        $saved = $env:CAPTUREMEDIA_CLI
        $env:CAPTUREMEDIA_CLI = $null
        $env:CAPTUREMEDIA_NODE = $null
        Push-Location -Path 'Env:'
        try {
            { New-CaptureMedia -MediaType CdDvd -Path ([IO.Path]::Combine($TestDrive, 'x.txt')) -BootImage $script:bootWim -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'OutputPathInvalid,*'
        }
        finally {
            Pop-Location
            $env:CAPTUREMEDIA_CLI = $saved
        }
    }

    It 'finds the core at ../dist/capture-media.cjs beside module/ when CAPTUREMEDIA_CLI is not set' {
        $saved = $env:CAPTUREMEDIA_CLI
        $env:CAPTUREMEDIA_CLI = $null
        $env:CAPTUREMEDIA_NODE = $null
        try {
            # The real core answers; what matters is that it was found (no CoreNotFound).
            { New-CaptureMedia -MediaType CdDvd -Path (Join-Path -Path $TestDrive -ChildPath 'x.txt') -BootImage $script:bootWim -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'OutputPathInvalid,*'
        }
        finally {
            $env:CAPTUREMEDIA_CLI = $saved
        }
    }
}

Describe 'New-CMCaptureMedia compatibility and confirmation rules (fake core)' {
    BeforeEach {
        $env:CAPTUREMEDIA_NODE = $null
        $env:CAPTUREMEDIA_CLI = $null
    }

    It 'USB without -FormatMedia sends neither formatMedia nor yes, and asks nothing, even with -Force' {
        Set-FakeBridge
        New-CaptureMedia -MediaType Usb -Path 'E:' -BootImage PS100004 -Force
        $request = Get-FakeRequest
        $request.params.PSObject.Properties.Name | Should -Not -Contain 'formatMedia'
        $request.params.PSObject.Properties.Name | Should -Not -Contain 'yes'
        $request.params.force | Should -BeTrue
    }

    It 'USB with -FormatMedia and no answer possible is ConfirmationRequired (exit code 3), and the core is never started' {
        Set-FakeBridge
        $caught = $null
        try { New-CaptureMedia -MediaType Usb -FormatMedia -Path 3 -BootImage PS100004 } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -Be 'ConfirmationRequired,New-CaptureMedia'
        $caught.Exception.Data['ExitCode'] | Should -Be 3
        $caught.Exception.Message | Should -Match '-Force or -Confirm:\$false'
        # The disk list for the prompt may have been asked for; the create request never was.
        if (Test-Path -LiteralPath $env:FAKE_BRIDGE_REQUEST_FILE) { (Get-FakeRequest).command | Should -Not -Be 'create' }
    }

    It 'USB with -FormatMedia -Confirm:$false sends formatMedia and yes' {
        Set-FakeBridge
        New-CaptureMedia -MediaType Usb -FormatMedia -Path 3 -BootImage PS100004 -Confirm:$false
        $request = Get-FakeRequest
        $request.params.formatMedia | Should -BeTrue
        $request.params.yes | Should -BeTrue
    }

    It '-NoAutoRun sends nothing (the default); with -IncludeAutoRun it is ParameterConflict' {
        Set-FakeBridge
        $iso = Join-Path -Path $TestDrive -ChildPath 'noautorun.iso'
        New-CaptureMedia -MediaType CdDvd -Path $iso -BootImage PS100004 -NoAutoRun
        (Get-FakeRequest).params.PSObject.Properties.Name | Should -Not -Contain 'includeAutoRun'
        { New-CaptureMedia -MediaType CdDvd -Path $iso -BootImage PS100004 -NoAutoRun -IncludeAutoRun -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterConflict,New-CaptureMedia'
        { New-CaptureMedia -MediaType Usb -Path 3 -BootImage PS100004 -FormatMedia -NoFormat -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterConflict,New-CaptureMedia'
    }

    It '-SiteCode, -AllowUacPrompt and the wildcard switches are accepted, ignored, and said so with -Verbose' {
        Set-FakeBridge
        $iso = Join-Path -Path $TestDrive -ChildPath 'sitecode.iso'
        $verbose = New-CaptureMedia -MediaType CdDvd -Path $iso -BootImage PS100004 -SiteCode PS1 -AllowUacPrompt -DisableWildcardHandling -ForceWildcardHandling -Verbose 4>&1
        $messages = @($verbose | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        foreach ($name in @('SiteCode', 'AllowUacPrompt', 'DisableWildcardHandling', 'ForceWildcardHandling')) {
            ($messages -join "`n") | Should -Match ('-{0} is accepted for New-CMCaptureMedia scripts and ignored' -f $name)
        }
        $names = @((Get-FakeRequest).params.PSObject.Properties.Name)
        $names | Should -Not -Contain 'siteCode'
    }

    It 'takes New-CMCaptureMedia''s aliases' {
        Set-FakeBridge
        $iso = Join-Path -Path $TestDrive -ChildPath 'aliases.iso'
        New-CaptureMedia -MediaType CdDvd -OutputPath $iso -BootImagePackage PS100004 -DistributionPoints $TestDrive -StagingArea $TestDrive
        $request = Get-FakeRequest
        @($request.params.path) | Should -Be @($iso)
        $request.params.bootImage | Should -Be 'PS100004'
        $request.params.temporaryFolder | Should -Be $TestDrive
        New-CaptureMedia -MediaType CdDvd -MediaPath $iso -BootImage PS100004 -TemporaryDirectory $TestDrive
        @((Get-FakeRequest).params.path) | Should -Be @($iso)
    }

    It 'reads a ConfigMgr boot image object''s PackageID, and derives \\<server>\SCCMContentLib$ from distribution point objects (FAKES shaped like SMS_BootImagePackage, SMS_SCI_SysResUse and SMS_DistributionPointInfo)' {
        Set-FakeBridge
        $bootImage = [pscustomobject]@{ PackageID = 'PS100004'; Name = 'Boot image (x64)'; Architecture = 9; ImagePath = '\\cm01\SMS_PS1\osd\boot\x64\boot.wim' }
        $sysResUse = [pscustomobject]@{ NALPath = '["Display=\\DP01.contoso.com\"]MSWNET:["SMS_SITE=PS1"]\\DP01.contoso.com\'; NetworkOSPath = '\\DP01.contoso.com'; RoleName = 'SMS Distribution Point'; SiteCode = 'PS1' }
        $dpInfo = [pscustomobject]@{ ServerName = 'DP02.contoso.com'; NALPath = '["Display=\\DP02.contoso.com\"]MSWNET:["SMS_SITE=PS1"]\\DP02.contoso.com\'; SiteCode = 'PS1' }
        $nalOnly = [pscustomobject]@{ NALPath = '["Display=\\DP03.contoso.com\"]MSWNET:["SMS_SITE=PS1"]\\DP03.contoso.com\' }
        New-CaptureMedia -MediaType CdDvd -Path (Join-Path -Path $TestDrive -ChildPath 'cm.iso') -BootImage $bootImage -DistributionPoint $sysResUse, $dpInfo, $nalOnly, '\\dp04\SCCMContentLib$'
        $request = Get-FakeRequest
        $request.params.bootImage | Should -Be 'PS100004'
        @($request.params.distributionPoint)[0..2] | Should -Be @('\\DP01.contoso.com\SCCMContentLib$', '\\DP02.contoso.com\SCCMContentLib$', '\\DP03.contoso.com\SCCMContentLib$')
        @($request.params.distributionPoint)[3] | Should -BeLike '*dp04*SCCMContentLib$'
    }

    It 'refuses an object with no PackageID, and a distribution point object with no server, with InvalidParameter' {
        Set-FakeBridge
        { New-CaptureMedia -MediaType CdDvd -Path (Join-Path -Path $TestDrive -ChildPath 'bad.iso') -BootImage ([pscustomobject]@{ Name = 'x' }) -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidParameter,New-CaptureMedia'
        { New-CaptureMedia -MediaType CdDvd -Path (Join-Path -Path $TestDrive -ChildPath 'bad.iso') -BootImage PS100004 -DistributionPoint ([pscustomobject]@{ Name = 'x' }) -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidParameter,New-CaptureMedia'
    }

    It 'one drive of several failed: the written one is output, then the error; -ErrorAction Stop still throws after it' {
        Set-FakeBridge -ExitCode 5 -Events @(
            @{ type = 'result'; data = @{ MediaType = 'Usb'; Path = @('/dev/sdb') } },
            @{ type = 'error'; id = 'WriteFailed'; category = 'WriteError'; message = 'Writing /dev/sdc failed.'; target = '/dev/sdc' }
        )
        $collected = New-Object -TypeName System.Collections.Generic.List[object]
        $caught = $null
        try {
            New-CaptureMedia -MediaType Usb -FormatMedia -Path '/dev/sdb', '/dev/sdc' -BootImage PS100004 -Confirm:$false -ErrorAction Stop | ForEach-Object { $collected.Add($_) }
        }
        catch { $caught = $_ }
        $collected.Count | Should -Be 1
        $caught.FullyQualifiedErrorId | Should -Be 'WriteFailed,New-CaptureMedia'
        $caught.Exception.Data['ExitCode'] | Should -Be 5
    }
}

Describe 'Completion and the pipeline' {
    BeforeEach {
        $env:CAPTUREMEDIA_NODE = $null
    }

    It '-MediaSize completes the presets' {
        $line = 'New-CaptureMedia -MediaSize Size'
        $matches = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)
        $matches | Should -Be @('Size650MB', 'Size4GB', 'Size8GB', 'SizeUnlimited')
    }

    It '-BootImage completes package ids from the content library when -DistributionPoint is given' {
        $library = Join-Path -Path $TestDrive -ChildPath 'completion-lib'
        $null = New-Item -ItemType Directory -Force -Path (Join-Path -Path $library -ChildPath 'PkgLib')
        foreach ($id in @('PS100004', 'PS100005', 'XY100001')) { Set-Content -LiteralPath (Join-Path -Path $library -ChildPath "PkgLib/$id.INI") -Value '[Packages]' }
        $line = "New-CaptureMedia -DistributionPoint '$library' -BootImage PS"
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $matches = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText)
        $watch.Stop()
        $matches | Should -Be @('PS100004', 'PS100005')
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
    }

    It '-BootImage completes .wim files and folders otherwise' {
        $folder = Join-Path -Path $TestDrive -ChildPath 'wims'
        $null = New-Item -ItemType Directory -Force -Path (Join-Path -Path $folder -ChildPath 'sub')
        Set-Content -LiteralPath (Join-Path -Path $folder -ChildPath 'boot.wim') -Value 'x'
        Set-Content -LiteralPath (Join-Path -Path $folder -ChildPath 'notes.txt') -Value 'x'
        $line = "New-CaptureMedia -BootImage $folder/"
        $matches = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.ListItemText)
        $matches | Should -Contain 'boot.wim'
        $matches | Should -Contain 'sub'
        $matches | Should -Not -Contain 'notes.txt'
    }

    It 'Get-CaptureMediaBootImage | New-CaptureMedia binds -BootImage by property name (real core), and boot.wim:1 works as -BootImage' {
        $env:CAPTUREMEDIA_CLI = $script:realCli
        $wim = Join-Path -Path $TestDrive -ChildPath 'pipe.wim'
        New-TestBootWim -Path $wim -Tree (Join-Path -Path $TestDrive -ChildPath 'pipe-winpe')
        $image = Get-CaptureMediaBootImage -Path $wim
        $image.Id | Should -Be 'pipe.wim:1'
        $iso = Join-Path -Path $TestDrive -ChildPath 'piped.iso'
        $result = $image | New-CaptureMedia -MediaType CdDvd -Path $iso -ErrorAction Stop
        $result.Verified | Should -BeTrue
        Push-Location -LiteralPath $TestDrive
        try {
            $again = New-CaptureMedia -MediaType CdDvd -Path (Join-Path -Path $TestDrive -ChildPath 'byid.iso') -BootImage 'pipe.wim:1' -ErrorAction Stop
            $again.Verified | Should -BeTrue
            { New-CaptureMedia -MediaType CdDvd -Path (Join-Path -Path $TestDrive -ChildPath 'byid2.iso') -BootImage 'pipe.wim:2' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidParameter,New-CaptureMedia'
        }
        finally {
            Pop-Location
        }
    }

    It 'Test-CaptureMedia expands wildcards in -Path and takes -LiteralPath as typed' {
        Set-FakeBridge -Events @(@{ type = 'result'; data = @{ Path = 'x'; Verified = $true } })
        $folder = Join-Path -Path $TestDrive -ChildPath 'verify'
        $null = New-Item -ItemType Directory -Force -Path $folder
        foreach ($name in @('capture1.iso', 'capture2.iso', 'capture[old].iso')) { Set-Content -LiteralPath (Join-Path -Path $folder -ChildPath $name) -Value 'x' }
        $null = Test-CaptureMedia -Path (Join-Path -Path $folder -ChildPath 'capture?.iso')
        @((Get-FakeRequest).params.path | ForEach-Object { Split-Path -Path $_ -Leaf } | Sort-Object) | Should -Be @('capture1.iso', 'capture2.iso')
        $null = Test-CaptureMedia -LiteralPath (Join-Path -Path $folder -ChildPath 'capture[old].iso')
        @((Get-FakeRequest).params.path | ForEach-Object { Split-Path -Path $_ -Leaf }) | Should -Be @('capture[old].iso')
        $null = Get-ChildItem -LiteralPath $folder -Filter '*old*' | Test-CaptureMedia
        @((Get-FakeRequest).params.path | ForEach-Object { Split-Path -Path $_ -Leaf }) | Should -Be @('capture[old].iso')
        { Test-CaptureMedia -Path (Join-Path -Path $folder -ChildPath 'nothing*.iso') -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidParameter,Test-CaptureMedia'
    }

    It 'Get-CaptureMediaDisk -AllowFixedDisk asks the core for the verdicts New-CaptureMedia -AllowFixedDisk would give' {
        Set-FakeBridge -Events @(@{ type = 'result'; data = @{ Path = '/dev/sda'; Usable = $true } })
        $null = Get-CaptureMediaDisk -AllowFixedDisk
        (Get-FakeRequest).params.allowFixedDisk | Should -BeTrue
        $null = Get-CaptureMediaDisk
        (Get-FakeRequest).params.PSObject.Properties.Name | Should -Not -Contain 'allowFixedDisk'
    }

    It 'Get-CaptureMediaDisk -AllowFixedDisk gives the real core''s verdicts: a fixed disk is no longer DiskNotRemovable, the system disk is still refused' {
        $env:CAPTUREMEDIA_CLI = $script:realCli
        $strict = @(Get-CaptureMediaDisk -ErrorAction Stop)
        $relaxed = @(Get-CaptureMediaDisk -AllowFixedDisk -ErrorAction Stop)
        $relaxed.Count | Should -BeGreaterThan 0
        # Other jobs on this machine attach loop devices at any time: compare the disks in both lists.
        foreach ($disk in $relaxed) {
            $before = $strict | Where-Object { $_.Path -eq $disk.Path }
            if ($null -eq $before) { continue }
            if ($before.Verdict -eq 'DiskNotRemovable') { $disk.Verdict | Should -Not -Be 'DiskNotRemovable' }
            if ($before.Verdict -eq 'DiskIsSystem') { $disk.Verdict | Should -Be 'DiskIsSystem' }
        }
    }
}

Describe 'Messages in the host''s language' {
    It 'rewrites CLI option names as parameter names' {
        InModuleScope CaptureMedia {
            ConvertTo-CaptureMediaHostMessage -Message '"x.iso" already exists. It is left untouched; use -Force (--force) to replace it.' | Should -Be '"x.iso" already exists. It is left untouched; use -Force to replace it.'
            ConvertTo-CaptureMediaHostMessage -Message 'Pass --log-path with a writable location, or --include-autorun.' | Should -Be 'Pass -LogPath with a writable location, or -IncludeAutoRun.'
            ConvertTo-CaptureMediaHostMessage -Message 'a -1 value and x--y stay' | Should -Be 'a -1 value and x--y stay'
        }
    }

    It 'error records from the core carry no CLI syntax' {
        $env:CAPTUREMEDIA_CLI = $script:realCli
        $iso = Join-Path -Path $TestDrive -ChildPath 'logpath.iso'
        $caught = $null
        try { New-CaptureMedia -MediaType CdDvd -Path $iso -BootImage (Join-Path -Path $TestDrive -ChildPath 'none.wim') -LogPath $iso -ErrorAction Stop } catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.Exception.Message | Should -Not -Match '(?<![\w-])--[a-z]'
    }
}
