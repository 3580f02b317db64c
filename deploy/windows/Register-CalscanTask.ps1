<#
.SYNOPSIS
  Registers a weekly Windows Task Scheduler task that runs a calscan CAL compliance scan.

.DESCRIPTION
  Runs "calscan.exe scan --config <Config> --email" every Monday at 06:00 as the given account.
  With bind = "sspi" in calscan.toml the scan binds to AD as that account, so no password
  is stored anywhere: use a group Managed Service Account (gMSA, e.g. CORP\gmsa-calscan$).
  Task Scheduler's "Last Run Result" shows calscan's exit code:
  0 compliant, 1 findings, 2 config error, 3 directory error, 4 report/email error.

.EXAMPLE
  .\Register-CalscanTask.ps1 -Account 'CORP\gmsa-calscan$'
#>
#Requires -RunAsAdministrator
[CmdletBinding()]
param(
    [string] $Exe = 'C:\Program Files\calscan\calscan.exe',
    [string] $Config = 'C:\ProgramData\calscan\calscan.toml',
    [string] $Account = 'CORP\gmsa-calscan$',
    [string] $TaskName = 'calscan CAL compliance scan'
)
$ErrorActionPreference = 'Stop'

if (-not (Test-Path -LiteralPath $Exe)) { throw "calscan.exe not found at $Exe" }
if (-not (Test-Path -LiteralPath $Config)) { throw "config not found at $Config" }

$workDir = Split-Path -Parent $Config
$action = New-ScheduledTaskAction -Execute $Exe `
    -Argument ('scan --config "{0}" --email --log-format json' -f $Config) `
    -WorkingDirectory $workDir
$trigger = New-ScheduledTaskTrigger -Weekly -DaysOfWeek Monday -At '06:00'
$settings = New-ScheduledTaskSettingsSet -StartWhenAvailable -ExecutionTimeLimit (New-TimeSpan -Hours 2) `
    -MultipleInstances IgnoreNew
$common = @{
    TaskName    = $TaskName
    Action      = $action
    Trigger     = $trigger
    Settings    = $settings
    Description = 'Weekly Windows Server CAL compliance scan (calscan)'
    Force       = $true
}
if ($Account.EndsWith('$')) {
    # A gMSA: Windows fetches its password from AD; nothing is stored.
    $principal = New-ScheduledTaskPrincipal -UserId $Account -LogonType Password -RunLevel Limited
    Register-ScheduledTask @common -Principal $principal | Out-Null
} else {
    # An ordinary account: Task Scheduler stores its password (needed for network logons to the DC).
    $cred = Get-Credential -UserName $Account -Message 'Password of the account the scan runs as'
    Register-ScheduledTask @common -User $cred.UserName -Password $cred.GetNetworkCredential().Password -RunLevel Limited | Out-Null
}
Write-Host "Registered '$TaskName': every Monday 06:00 as $Account. Run it now with: Start-ScheduledTask -TaskName '$TaskName'"
