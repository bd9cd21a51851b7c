from tests.conftest import run_dutyctl


def test_log_call_then_list_through_cli(cli):
    result = cli("log", "call", "--name", "张三", "--room", "3-2-501", "--phone", "13812345678",
                 "--summary", "物业费怎么交")
    assert result.exit_code == 0, result.stderr
    record_id = result.stdout.strip()
    listed = cli("list", "--format", "csv")
    assert record_id in listed.stdout
    assert "138****5678" in listed.stdout


def test_installed_binary_logs_a_call(workspace, dutyctl_command):
    done = run_dutyctl(dutyctl_command, "log", "call", "--name", "李四", "--room", "5-1-1202",
                       "--phone", "13900001111", "--summary", "报修", root=workspace.root)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.strip()) == 26
