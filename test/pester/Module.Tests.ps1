# The CaptureMedia module's shape (no core needed): the manifest exports exactly Public/, every
# public command has real help, each command's parameters are the ones we mean, validation
# attributes reject what they should, and every file is Windows PowerShell 5.1 syntax.

BeforeAll {
    $script:repoRoot = (Resolve-Path -LiteralPath (Join-Path -Path $PSScriptRoot -ChildPath '../..')).ProviderPath
    $script:moduleRoot = Join-Path -Path $script:repoRoot -ChildPath 'module'
    $script:manifestPath = Join-Path -Path $script:moduleRoot -ChildPath 'CaptureMedia.psd1'
    Import-Module -Name $script:manifestPath -Force
    $script:commonParameters = @([System.Management.Automation.PSCmdlet]::CommonParameters) + @([System.Management.Automation.PSCmdlet]::OptionalCommonParameters)

    function Get-OwnParameterName {
        param([string] $Name, [string] $ParameterSet)
        $command = Get-Command -Name $Name -Module CaptureMedia
        if ($ParameterSet) {
            $set = $command.ParameterSets | Where-Object { $_.Name -eq $ParameterSet }
            return @($set.Parameters.Name | Where-Object { $script:commonParameters -notcontains $_ } | Sort-Object)
        }
        @($command.Parameters.Keys | Where-Object { $script:commonParameters -notcontains $_ } | Sort-Object)
    }
}

AfterAll {
    Remove-Module -Name CaptureMedia -Force -ErrorAction SilentlyContinue
}

Describe 'Module manifest' {
    It 'is a valid manifest for PowerShell 5.1, Desktop and Core' {
        $manifest = Test-ModuleManifest -Path $script:manifestPath -ErrorAction Stop
        $manifest.PowerShellVersion | Should -Be ([version]'5.1')
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
    }

    It 'exports exactly the functions in Public/' {
        $public = @(Get-ChildItem -Path (Join-Path -Path $script:moduleRoot -ChildPath 'Public') -Filter '*.ps1' | ForEach-Object { $_.BaseName })
        $exported = @((Get-Module -Name CaptureMedia).ExportedFunctions.Keys)
        $public.Count | Should -BeGreaterThan 0
        Compare-Object -ReferenceObject $public -DifferenceObject $exported | Should -BeNullOrEmpty
    }

    It 'lists its exports explicitly (no wildcard), the same as Public/' {
        $data = Import-PowerShellDataFile -Path $script:manifestPath
        $data.FunctionsToExport | Should -Not -Contain '*'
        $public = @(Get-ChildItem -Path (Join-Path -Path $script:moduleRoot -ChildPath 'Public') -Filter '*.ps1' | ForEach-Object { $_.BaseName })
        Compare-Object -ReferenceObject $public -DifferenceObject @($data.FunctionsToExport) | Should -BeNullOrEmpty
        @($data.CmdletsToExport).Count | Should -Be 0
        @($data.AliasesToExport).Count | Should -Be 0
    }

    It 'does not export Private/ functions' {
        $private = @(Get-ChildItem -Path (Join-Path -Path $script:moduleRoot -ChildPath 'Private') -Filter '*.ps1' | ForEach-Object { $_.BaseName })
        foreach ($name in $private) {
            Get-Command -Name $name -Module CaptureMedia -ErrorAction SilentlyContinue | Should -BeNullOrEmpty -Because "$name is private"
        }
    }

    It 'has one function per file, named after the file' {
        $files = @(Get-ChildItem -Path (Join-Path -Path $script:moduleRoot -ChildPath 'Public'), (Join-Path -Path $script:moduleRoot -ChildPath 'Private') -Filter '*.ps1')
        foreach ($file in $files) {
            $tokens = $null
            $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseFile($file.FullName, [ref]$tokens, [ref]$errors)
            $functions = @($ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $false))
            $functions.Count | Should -Be 1 -Because $file.Name
            $functions[0].Name | Should -Be $file.BaseName
        }
    }

    It 'has table views for Result, BootImage and Disk' {
        [xml]$format = Get-Content -Raw -Path (Join-Path -Path $script:moduleRoot -ChildPath 'CaptureMedia.format.ps1xml')
        $types = @($format.Configuration.ViewDefinitions.View | ForEach-Object { $_.ViewSelectedBy.TypeName })
        foreach ($type in @('CaptureMedia.Result', 'CaptureMedia.BootImage', 'CaptureMedia.Disk')) {
            $types | Should -Contain $type
        }
        $view = $format.Configuration.ViewDefinitions.View | Where-Object { $_.ViewSelectedBy.TypeName -eq 'CaptureMedia.Result' }
        $view.TableControl | Should -Not -BeNullOrEmpty
    }

    It 'ships about_CaptureMedia' {
        Join-Path -Path $script:moduleRoot -ChildPath 'en-US/about_CaptureMedia.help.txt' | Should -Exist
        Get-Help -Name about_CaptureMedia -ErrorAction SilentlyContinue | Out-String | Should -Match 'DISK SAFETY'
    }
}

Describe 'Windows PowerShell 5.1 syntax' {
    It 'every module file parses as 5.1 syntax, without backticks or PowerShell 7 operators' {
        $script = Join-Path -Path $script:repoRoot -ChildPath 'test/powershell/Test-CaptureMediaSyntax.ps1'
        $output = & $script -Path $script:moduleRoot
        $LASTEXITCODE | Should -Be 0 -Because ($output -join [Environment]::NewLine)
    }
}

Describe 'Help of <_>' -ForEach @('New-CaptureMedia', 'Get-CaptureMediaBootImage', 'Get-CaptureMediaDisk', 'Test-CaptureMedia', 'Compare-CaptureMedia') {
    BeforeAll {
        $script:name = $_
        $script:help = Get-Help -Name $_ -Full
        $script:ast = (Get-Command -Name $_).ScriptBlock.Ast
        $script:helpContent = $script:ast.GetHelpContent()
    }

    It 'has a synopsis' {
        $script:helpContent.Synopsis | Should -Not -BeNullOrEmpty
        $script:help.Synopsis | Should -Not -Match "^\s*$($script:name)\s"
    }

    It 'has a description' {
        $script:helpContent.Description.Trim().Length | Should -BeGreaterThan 40
    }

    It 'describes every parameter' {
        $parameters = @((Get-Command -Name $script:name).Parameters.Keys | Where-Object { $script:commonParameters -notcontains $_ -and $_ -notin @('WhatIf', 'Confirm') })
        foreach ($parameter in $parameters) {
            $described = $script:helpContent.Parameters.Keys | Where-Object { $_ -eq $parameter.ToUpperInvariant() }
            $described | Should -Not -BeNullOrEmpty -Because "-$parameter needs a .PARAMETER entry"
            $script:helpContent.Parameters[$parameter.ToUpperInvariant()].Trim().Length | Should -BeGreaterThan 10 -Because "-$parameter needs a real description"
        }
        foreach ($documented in $script:helpContent.Parameters.Keys) {
            (Get-Command -Name $script:name).Parameters.Keys | Where-Object { $_.ToUpperInvariant() -eq $documented } | Should -Not -BeNullOrEmpty -Because ".PARAMETER $documented must be a real parameter"
        }
    }

    It 'has at least one example with an explanation' {
        $script:helpContent.Examples.Count | Should -BeGreaterThan 0
        foreach ($example in $script:helpContent.Examples) {
            $example | Should -Match $script:name
            ($example -split '\r?\n' | Where-Object { $_.Trim() } ).Count | Should -BeGreaterThan 1 -Because 'an example says what it does'
        }
    }

    It 'documents its output' {
        @($script:helpContent.Outputs).Count | Should -BeGreaterThan 0
        ($script:helpContent.Outputs -join ' ') | Should -Match 'CaptureMedia\.'
    }
}

Describe 'New-CaptureMedia help' {
    It 'has an example for each main option' {
        $examples = (Get-Command -Name New-CaptureMedia).ScriptBlock.Ast.GetHelpContent().Examples -join "`n"
        foreach ($pattern in @('-DistributionPoint', 'boot\.wim', '-MediaSize Size4GB', '-MediaType Usb ', '-MediaType UsbImage', 'Get-CaptureMediaDisk \|', '-WhatIf', '-IncludeAutoRun', '-MediaLabel', '-FormatMedia', 'Get-CaptureMediaBootImage .*\| New-CaptureMedia', '-BootManager 2023')) {
            $examples | Should -Match $pattern
        }
    }
}

Describe 'Help matches behaviour' {
    It '<_> has an example for every parameter' -ForEach @('New-CaptureMedia', 'Get-CaptureMediaBootImage', 'Get-CaptureMediaDisk', 'Test-CaptureMedia') {
        $command = Get-Command -Name $_
        $examples = $command.ScriptBlock.Ast.GetHelpContent().Examples -join "`n"
        foreach ($parameter in @($command.Parameters.Keys | Where-Object { $script:commonParameters -notcontains $_ })) {
            $examples | Should -Match ('-{0}\b' -f $parameter) -Because "-$parameter needs an example"
        }
    }

    It 'examples filter on properties the objects have (Bus, not BusType)' {
        foreach ($name in @('New-CaptureMedia', 'Get-CaptureMediaDisk')) {
            ((Get-Command -Name $name).ScriptBlock.Ast.GetHelpContent().Examples -join "`n") | Should -Not -Match 'BusType'
        }
    }

    It 'no help text speaks CLI syntax (--option) or promises staging in the temporary folder' {
        foreach ($name in @('New-CaptureMedia', 'Get-CaptureMediaBootImage', 'Get-CaptureMediaDisk', 'Test-CaptureMedia')) {
            $text = Get-Help -Name $name -Full | Out-String
            $text | Should -Not -Match '(?<![\w-])--[a-z]' -Because "$name help is for PowerShell users"
        }
        $temporary = (Get-Command -Name New-CaptureMedia).ScriptBlock.Ast.GetHelpContent().Parameters['TEMPORARYFOLDER']
        $temporary | Should -Not -Match 'Free space is checked'
        $temporary | Should -Match 'Nothing is\s+staged'
    }
}

Describe 'Parameters' {
    It 'New-CaptureMedia has exactly the documented parameters' {
        # WhatIf and Confirm are optional common parameters, checked through ConfirmImpact below.
        $expected = @('AllowFixedDisk', 'BootImage', 'DistributionPoint', 'Force', 'ImageSize', 'IncludeAutoRun', 'LogPath', 'MediaLabel', 'MediaSize', 'MediaType', 'NoFormat', 'NoVerify', 'Path', 'RequireHardwareId', 'TargetArchitecture', 'TemporaryFolder')
        # Where the SMS\ files (the capture launcher) come from.
        $expected += @('ClientSource', 'Template', 'RequireCaptureLauncher')
        # New-CMCaptureMedia's own: FormatMedia, NoAutoRun, SiteCode, AllowUacPrompt, Disable/ForceWildcardHandling.
        $expected += @('FormatMedia', 'NoAutoRun', 'SiteCode', 'AllowUacPrompt', 'DisableWildcardHandling', 'ForceWildcardHandling')
        # Which signed Windows boot manager the media carry (Secure Boot).
        $expected += @('BootManager')
        Compare-Object -ReferenceObject $expected -DifferenceObject (Get-OwnParameterName -Name New-CaptureMedia) | Should -BeNullOrEmpty
    }

    It 'New-CaptureMedia has one parameter set, mandatory MediaType, Path and BootImage' {
        $command = Get-Command -Name New-CaptureMedia
        $command.ParameterSets.Count | Should -Be 1
        $mandatory = @($command.ParameterSets[0].Parameters | Where-Object IsMandatory | ForEach-Object Name | Sort-Object)
        Compare-Object -ReferenceObject @('BootImage', 'MediaType', 'Path') -DifferenceObject $mandatory | Should -BeNullOrEmpty
    }

    It 'New-CaptureMedia asks for confirmation (ConfirmImpact High)' {
        $attribute = (Get-Command -Name New-CaptureMedia).ScriptBlock.Attributes | Where-Object { $_ -is [System.Management.Automation.CmdletBindingAttribute] }
        $attribute.SupportsShouldProcess | Should -BeTrue
        $attribute.ConfirmImpact | Should -Be ([System.Management.Automation.ConfirmImpact]::High)
    }

    It 'New-CaptureMedia -Path binds from the pipeline, by value and by property name (Path, DevicePath, FullName)' {
        $path = (Get-Command -Name New-CaptureMedia).Parameters['Path']
        $attribute = $path.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }
        $attribute.ValueFromPipeline | Should -BeTrue
        $attribute.ValueFromPipelineByPropertyName | Should -BeTrue
        Compare-Object -ReferenceObject @('DevicePath', 'FullName', 'MediaPath', 'OutputPath', 'DriveName') -DifferenceObject @($path.Aliases) | Should -BeNullOrEmpty
        $path.ParameterType | Should -Be ([string[]])
    }

    It 'New-CaptureMedia has New-CMCaptureMedia''s aliases' {
        $parameters = (Get-Command -Name New-CaptureMedia).Parameters
        $parameters['BootImage'].Aliases | Should -Contain 'BootImagePackage'
        $parameters['DistributionPoint'].Aliases | Should -Contain 'DistributionPoints'
        foreach ($alias in @('MediaPath', 'OutputPath', 'DriveName')) { $parameters['Path'].Aliases | Should -Contain $alias }
        foreach ($alias in @('TemporaryDirectory', 'StagingArea')) { $parameters['TemporaryFolder'].Aliases | Should -Contain $alias }
    }

    It 'New-CaptureMedia -BootImage and -DistributionPoint take objects as well as strings; -BootImage binds by property name' {
        $parameters = (Get-Command -Name New-CaptureMedia).Parameters
        $parameters['BootImage'].ParameterType | Should -Be ([object])
        $parameters['DistributionPoint'].ParameterType | Should -Be ([object[]])
        ($parameters['BootImage'].Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] }).ValueFromPipelineByPropertyName | Should -BeTrue
    }

    It 'New-CaptureMedia switches are switches' {
        foreach ($name in @('IncludeAutoRun', 'NoAutoRun', 'FormatMedia', 'NoFormat', 'NoVerify', 'Force', 'AllowFixedDisk', 'RequireCaptureLauncher', 'AllowUacPrompt', 'DisableWildcardHandling', 'ForceWildcardHandling')) {
            (Get-Command -Name New-CaptureMedia).Parameters[$name].ParameterType | Should -Be ([switch]) -Because $name
        }
    }

    It 'Get-CaptureMediaBootImage has the DistributionPoint and Path parameter sets' {
        $command = Get-Command -Name Get-CaptureMediaBootImage
        Compare-Object -ReferenceObject @('DistributionPoint', 'Path') -DifferenceObject @($command.ParameterSets.Name) | Should -BeNullOrEmpty
        $command.DefaultParameterSet | Should -Be 'DistributionPoint'
        Get-OwnParameterName -Name Get-CaptureMediaBootImage -ParameterSet DistributionPoint | Should -Be @('DistributionPoint', 'DriverClass', 'Drivers')
        Get-OwnParameterName -Name Get-CaptureMediaBootImage -ParameterSet Path | Should -Be @('DriverClass', 'Drivers', 'Path')
    }

    It 'Get-CaptureMediaDisk has -AllowFixedDisk only' {
        Get-OwnParameterName -Name Get-CaptureMediaDisk | Should -Be @('AllowFixedDisk')
        (Get-Command -Name Get-CaptureMediaDisk).Parameters['AllowFixedDisk'].ParameterType | Should -Be ([switch])
    }

    It 'Compare-CaptureMedia has mandatory -ReferencePath and -DifferencePath, and -ExpectDifferent' {
        Compare-Object -ReferenceObject @('DifferencePath', 'ExpectDifferent', 'ReferencePath') -DifferenceObject (Get-OwnParameterName -Name Compare-CaptureMedia) | Should -BeNullOrEmpty
        $command = Get-Command -Name Compare-CaptureMedia
        $mandatory = @($command.ParameterSets[0].Parameters | Where-Object IsMandatory | ForEach-Object Name | Sort-Object)
        $mandatory | Should -Be @('DifferencePath', 'ReferencePath')
        $command.Parameters['ExpectDifferent'].ParameterType | Should -Be ([string[]])
    }

    It 'Test-CaptureMedia has a mandatory -Path (wildcards) or -LiteralPath (PSPath, FullName), in two sets' {
        $command = Get-Command -Name Test-CaptureMedia
        Compare-Object -ReferenceObject @('Path', 'LiteralPath') -DifferenceObject @($command.ParameterSets.Name) | Should -BeNullOrEmpty
        $command.DefaultParameterSet | Should -Be 'Path'
        Get-OwnParameterName -Name Test-CaptureMedia -ParameterSet Path | Should -Be @('Path', 'RequireHardwareId')
        Get-OwnParameterName -Name Test-CaptureMedia -ParameterSet LiteralPath | Should -Be @('LiteralPath', 'RequireHardwareId')
        $command.Parameters['Path'].Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] })[0].Mandatory | Should -BeTrue
        foreach ($alias in @('PSPath', 'FullName')) { $command.Parameters['LiteralPath'].Aliases | Should -Contain $alias }
    }
}

Describe 'Validation' {
    BeforeAll {
        # Validation happens at parameter binding, before the core is started: point the module at
        # a core that does not exist so that any call that got that far would fail differently.
        $script:savedCli = $env:CAPTUREMEDIA_CLI
        $env:CAPTUREMEDIA_CLI = Join-Path -Path $TestDrive -ChildPath 'no-core.js'
    }
    AfterAll {
        $env:CAPTUREMEDIA_CLI = $script:savedCli
    }

    It 'rejects -MediaType <_>' -ForEach @('Dvd', 'Iso', 'UsbDrive', '') {
        { New-CaptureMedia -MediaType $_ -Path 'x.iso' -BootImage 'boot.wim' -Confirm:$false } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }

    It 'rejects -TargetArchitecture <_>' -ForEach @('amd64', 'ia64', 'arm') {
        { New-CaptureMedia -MediaType CdDvd -Path 'x.iso' -BootImage 'boot.wim' -TargetArchitecture $_ -Confirm:$false } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }

    It 'rejects -BootManager <_>' -ForEach @('Auto', '2020', '') {
        { New-CaptureMedia -MediaType CdDvd -Path 'x.iso' -BootImage 'boot.wim' -BootManager $_ -Confirm:$false } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }

    It 'passes -MediaSize <_> to the core, the one size parser (the call then fails only because there is no core)' -ForEach @('Size650MB', 'Size4GB', 'Size8GB', 'SizeUnlimited', '700MB', '25GB', 'size4gb', '4.7GB', '4.7GiB', '700MiB', 'Size700MB') {
        { New-CaptureMedia -MediaType CdDvd -Path 'x.iso' -BootImage 'boot.wim' -MediaSize $_ -Confirm:$false } | Should -Throw -ErrorId 'CoreNotFound*'
    }

    It 'rejects Get-CaptureMediaBootImage with both -DistributionPoint and -Path' {
        { Get-CaptureMediaBootImage -DistributionPoint 'dp' -Path 'boot.wim' } | Should -Throw -ErrorId 'AmbiguousParameterSet*'
    }
}
