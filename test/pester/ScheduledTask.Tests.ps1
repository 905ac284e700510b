# The scheduled-task recipe (docs/scheduled-task.md): examples/Update-CaptureMediaIso.ps1, the
# script the task runs, is run for real (pwsh -NonInteractive -File, the real core, a tiny real
# WIM) and must end with one exit code per error class; examples/Register-CaptureMediaTask.ps1 is
# run against FAKES of the Windows-only ScheduledTasks cmdlets (stub functions, then Pester mocks),
# which cannot exist on this Linux machine.

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'TestSupport.ps1')
    $script:repoRoot = (Resolve-Path -LiteralPath (Join-Path -Path $PSScriptRoot -ChildPath '../..')).ProviderPath
    $script:updateScript = Join-Path -Path $script:repoRoot -ChildPath 'examples/Update-CaptureMediaIso.ps1'
    $script:registerScript = Join-Path -Path $script:repoRoot -ChildPath 'examples/Register-CaptureMediaTask.ps1'
    $script:pwsh = (Get-Command -Name 'pwsh' -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source

    # Import-Module -Name CaptureMedia, as on a server: a CaptureMedia folder on PSModulePath.
    $modules = Join-Path -Path $TestDrive -ChildPath 'Modules'
    $null = New-Item -ItemType Directory -Path $modules
    $null = New-Item -ItemType SymbolicLink -Path (Join-Path -Path $modules -ChildPath 'CaptureMedia') -Target (Join-Path -Path $script:repoRoot -ChildPath 'module')
    $script:savedEnvironment = Save-TestEnvironment -Name @('CAPTUREMEDIA_CLI', 'CAPTUREMEDIA_NO_LOG', 'PSModulePath')
    $env:CAPTUREMEDIA_CLI = Get-TestCorePath -RepoRoot $script:repoRoot
    $env:CAPTUREMEDIA_NO_LOG = '1'
    $env:PSModulePath = $modules + [IO.Path]::PathSeparator + $env:PSModulePath

    $script:bootWim = Join-Path -Path $TestDrive -ChildPath 'boot.wim'
    New-TestBootWim -Path $script:bootWim -Tree (Join-Path -Path $TestDrive -ChildPath 'winpe')
    $script:contentLibrary = Join-Path -Path $TestDrive -ChildPath 'SCCMContentLib'
    New-TestContentLibrary -Path $script:contentLibrary
    $script:taskLog = Join-Path -Path $TestDrive -ChildPath 'task.log'

    function Invoke-UpdateScript {
        param([string[]] $Arguments, [int] $TimeoutSeconds = 120)
        $startInfo = New-Object -TypeName System.Diagnostics.ProcessStartInfo
        $startInfo.FileName = $script:pwsh
        foreach ($argument in @('-NoProfile', '-NonInteractive', '-File', $script:updateScript) + $Arguments + @('-TaskLogPath', $script:taskLog)) { $startInfo.ArgumentList.Add($argument) }
        $startInfo.UseShellExecute = $false
        # A task has no one at stdin: an open pipe nobody writes to, so a prompt would hang.
        $startInfo.RedirectStandardInput = $true
        $startInfo.RedirectStandardOutput = $true
        $startInfo.RedirectStandardError = $true
        $process = [System.Diagnostics.Process]::Start($startInfo)
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) { $process.Kill(); throw "The task script hung: $($stdout.Result) $($stderr.Result)" }
        [pscustomobject]@{ ExitCode = $process.ExitCode; StdOut = $stdout.Result; StdErr = $stderr.Result }
    }
}

AfterAll {
    Restore-TestEnvironment -Saved $script:savedEnvironment
}

Describe 'Update-CaptureMediaIso.ps1 (what the task runs)' {
    It 'writes the ISO, logs it, exits 0; the next weekly run replaces it without asking' {
        $iso = Join-Path -Path $TestDrive -ChildPath 'share/capture.iso'
        $null = New-Item -ItemType Directory -Force -Path (Split-Path -Path $iso -Parent)
        $first = Invoke-UpdateScript -Arguments @('-BootImage', $script:bootWim, '-Path', $iso)
        $first.ExitCode | Should -Be 0 -Because ($first.StdOut + $first.StdErr)
        $iso | Should -Exist
        $written = (Get-Item -LiteralPath $iso).LastWriteTimeUtc
        Start-Sleep -Milliseconds 1100
        $second = Invoke-UpdateScript -Arguments @('-BootImage', $script:bootWim, '-Path', $iso)
        $second.ExitCode | Should -Be 0 -Because ($second.StdOut + $second.StdErr)
        (Get-Item -LiteralPath $iso).LastWriteTimeUtc | Should -BeGreaterThan $written
        $log = Get-Content -LiteralPath $script:taskLog
        @($log | Where-Object { $_ -match 'Written and verified=True' }).Count | Should -Be 2
    }

    It 'ends with exit code <Code> for <Case>' -ForEach @(
        @{ Case = 'invalid arguments (an output that is not .iso)'; Code = 2; Id = 'OutputPathInvalid'; Arguments = { @('-BootImage', $script:bootWim, '-Path', (Join-Path -Path $TestDrive -ChildPath 'capture.txt')) } }
        @{ Case = 'a precondition (the output folder is missing)'; Code = 3; Id = 'OutputDirectoryMissing'; Arguments = { @('-BootImage', $script:bootWim, '-Path', (Join-Path -Path $TestDrive -ChildPath 'missing/capture.iso')) } }
        @{ Case = 'an invalid source (no such package)'; Code = 4; Id = 'BootImageNotFound'; Arguments = { @('-BootImage', 'PS199999', '-DistributionPoint', $script:contentLibrary, '-Path', (Join-Path -Path $TestDrive -ChildPath 'capture.iso')) } }
    ) {
        $run = Invoke-UpdateScript -Arguments (& $Arguments)
        $run.ExitCode | Should -Be $Code -Because ($run.StdOut + $run.StdErr)
        (Get-Content -LiteralPath $script:taskLog | Select-Object -Last 1) | Should -Match ('Failed with {0} \(exit {1}\)' -f $Id, $Code)
    }

    It 'exits 1 when the module cannot be loaded' {
        $saved = $env:PSModulePath
        $env:PSModulePath = ''
        try {
            $run = Invoke-UpdateScript -Arguments @('-BootImage', $script:bootWim, '-Path', (Join-Path -Path $TestDrive -ChildPath 'nomodule.iso'))
        }
        finally {
            $env:PSModulePath = $saved
        }
        $run.ExitCode | Should -Be 1
        (Get-Content -LiteralPath $script:taskLog | Select-Object -Last 1) | Should -Match 'Failed with Unexpected \(exit 1\)'
    }
}

Describe 'Register-CaptureMediaTask.ps1 (ScheduledTasks cmdlets FAKED: Windows only)' {
    BeforeAll {
        # FAKE stand-ins with the parameters the script uses, so that Pester can mock them here.
        function New-ScheduledTaskAction { param([string] $Execute, [string] $Argument) }
        function New-ScheduledTaskTrigger { param([switch] $Weekly, [string[]] $DaysOfWeek, [datetime] $At) }
        function New-ScheduledTaskPrincipal { param([string] $UserId, [string] $LogonType, [string] $RunLevel) }
        function New-ScheduledTaskSettingsSet { param([string] $MultipleInstances, [timespan] $ExecutionTimeLimit, [switch] $StartWhenAvailable) }
        function Get-ScheduledTask { param([string] $TaskName, [string] $TaskPath) }
        function Register-ScheduledTask { param([string] $TaskName, [string] $TaskPath, [object] $Action, [object] $Trigger, [object] $Principal, [object] $Settings, [string] $Description, [switch] $Force) }
    }
    BeforeEach {
        Mock New-ScheduledTaskAction { [pscustomobject]@{ Execute = $Execute; Arguments = $Argument } }
        Mock New-ScheduledTaskTrigger { [pscustomobject]@{ Weekly = [bool]$Weekly; DaysOfWeek = $DaysOfWeek; At = $At } }
        Mock New-ScheduledTaskPrincipal { [pscustomobject]@{ UserId = $UserId; LogonType = $LogonType; RunLevel = $RunLevel } }
        Mock New-ScheduledTaskSettingsSet { [pscustomobject]@{ MultipleInstances = $MultipleInstances; ExecutionTimeLimit = $ExecutionTimeLimit } }
        Mock Get-ScheduledTask { $null }
        Mock Register-ScheduledTask { [pscustomobject]@{ TaskName = $TaskName; TaskPath = $TaskPath } }
    }

    It 'registers a weekly, non-interactive run of Update-CaptureMediaIso.ps1 as a gMSA' {
        & $script:registerScript -BootImage PS100004 -DistributionPoint '\\dp01\SCCMContentLib$' -Path '\\fs01\OSD\Capture\capture.iso' -GroupManagedServiceAccount 'CONTOSO\gmsa-capture$' -Confirm:$false
        Should -Invoke New-ScheduledTaskPrincipal -Times 1 -Exactly -ParameterFilter { $UserId -eq 'CONTOSO\gmsa-capture$' -and $LogonType -eq 'Password' }
        Should -Invoke New-ScheduledTaskTrigger -Times 1 -Exactly -ParameterFilter { $Weekly -and $DaysOfWeek -contains 'Sunday' -and $At.Hour -eq 3 }
        Should -Invoke New-ScheduledTaskAction -Times 1 -Exactly -ParameterFilter {
            $Execute -eq 'powershell.exe' -and $Argument -match '-NonInteractive' -and $Argument -match ('-File "{0}"' -f [regex]::Escape($script:updateScript)) -and $Argument -match '-BootImage "PS100004"' -and $Argument -match '-DistributionPoint "\\\\dp01\\SCCMContentLib\$"'
        }
        Should -Invoke New-ScheduledTaskSettingsSet -Times 1 -Exactly -ParameterFilter { $MultipleInstances -eq 'IgnoreNew' -and $ExecutionTimeLimit.TotalHours -eq 4 }
        Should -Invoke Register-ScheduledTask -Times 1 -Exactly -ParameterFilter { $TaskPath -eq '\CaptureMedia\' -and $TaskName -eq 'Rebuild capture ISO' }
    }

    It 'registers as SYSTEM (a service account logon, highest run level) on another day and time' {
        & $script:registerScript -BootImage PS100004 -Path '\\fs01\OSD\Capture\capture.iso' -System -DayOfWeek Saturday -At '22:30' -Confirm:$false
        Should -Invoke New-ScheduledTaskPrincipal -Times 1 -Exactly -ParameterFilter { $UserId -eq 'NT AUTHORITY\SYSTEM' -and $LogonType -eq 'ServiceAccount' -and $RunLevel -eq 'Highest' }
        Should -Invoke New-ScheduledTaskTrigger -Times 1 -Exactly -ParameterFilter { $DaysOfWeek -contains 'Saturday' -and $At.Hour -eq 22 -and $At.Minute -eq 30 }
    }

    It 'does not replace an existing task with -WhatIf' {
        Mock Get-ScheduledTask { [pscustomobject]@{ TaskName = 'Rebuild capture ISO' } }
        & $script:registerScript -BootImage PS100004 -Path '\\fs01\OSD\Capture\capture.iso' -System -WhatIf
        Should -Invoke Register-ScheduledTask -Times 0 -Exactly
    }

    It 'refuses a gMSA name without the trailing $' {
        { & $script:registerScript -BootImage PS100004 -Path 'x.iso' -GroupManagedServiceAccount 'CONTOSO\gmsa-capture' -Confirm:$false } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }

    It 'both example scripts are Windows PowerShell 5.1 syntax' {
        $check = Join-Path -Path $script:repoRoot -ChildPath 'test/powershell/Test-CaptureMediaSyntax.ps1'
        $output = & $check -Path (Join-Path -Path $script:repoRoot -ChildPath 'examples')
        $LASTEXITCODE | Should -Be 0 -Because ($output -join [Environment]::NewLine)
    }
}
