//! Operating-system errors in the reader's words: "文件或文件夹不存在", not "No such file or
//! directory (os error 2)" inside a Chinese sentence.
//!
//! Why by hand: the standard library's messages come from the C library in English, and no
//! crate translates `std::io::ErrorKind`. The kinds people meet here are few (a wrong path, a
//! permission, a full disk, a port in use); anything else keeps the system's code, and the
//! English text stays where a developer reads it (the JSON's problem code, a log).

use std::io::{Error, ErrorKind};

/// The error in Chinese, short enough to sit inside a sentence.
pub(crate) fn zh(e: &Error) -> String {
    let text = match e.kind() {
        ErrorKind::NotFound => "文件或文件夹不存在",
        ErrorKind::PermissionDenied => "没有访问权限",
        ErrorKind::AlreadyExists => "同名文件或文件夹已存在",
        ErrorKind::NotADirectory => "路径中有一部分是文件而不是文件夹",
        ErrorKind::IsADirectory => "这是文件夹，不是文件",
        ErrorKind::DirectoryNotEmpty => "文件夹不是空的",
        ErrorKind::StorageFull => "磁盘空间不足",
        ErrorKind::ReadOnlyFilesystem => "所在磁盘是只读的",
        ErrorKind::InvalidFilename => "名称无效或过长",
        ErrorKind::FileTooLarge => "文件过大",
        ErrorKind::AddrInUse => "端口已被占用",
        ErrorKind::AddrNotAvailable => "这个地址不属于本机",
        ErrorKind::ConnectionRefused => "连接被拒绝",
        ErrorKind::TimedOut => "操作超时",
        ErrorKind::UnexpectedEof => "数据不完整（提前结束）",
        ErrorKind::InvalidData => "数据无效",
        ErrorKind::OutOfMemory => "内存不足",
        ErrorKind::Interrupted => "操作被中断",
        _ => {
            return match e.raw_os_error() {
                Some(code) => format!("系统错误（代码 {code}）"),
                None => "系统错误".to_string(),
            };
        }
    };
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_errors_read_in_chinese() {
        let missing = std::fs::read("/nonexistent/yanshou/x").unwrap_err();
        assert_eq!(zh(&missing), "文件或文件夹不存在");
        let table = [
            (ErrorKind::PermissionDenied, "没有访问权限"),
            (ErrorKind::AddrInUse, "端口已被占用"),
            (ErrorKind::AddrNotAvailable, "这个地址不属于本机"),
            (ErrorKind::StorageFull, "磁盘空间不足"),
        ];
        for (kind, want) in table {
            assert_eq!(zh(&Error::from(kind)), want);
        }
        assert_eq!(zh(&Error::from_raw_os_error(1234)), "系统错误（代码 1234）");
    }
}
