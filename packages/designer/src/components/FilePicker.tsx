import { Typography, Upload } from 'antd';
import { useTranslation } from 'react-i18next';

/**
 * A file dropped on the area or picked from it (click, or Enter and Space on it): antd's
 * `Upload.Dragger`, whose file input keeps `name`, but nothing is uploaded — the file is
 * handed to `onFile` to be read in the browser. It shows the chosen file's name.
 */
export function FilePicker(props: {
  name: string;
  accept: string;
  chosen?: string;
  onFile(file: File): void;
}) {
  const { t } = useTranslation();
  return (
    <Upload.Dragger
      name={props.name}
      accept={props.accept}
      multiple={false}
      showUploadList={false}
      beforeUpload={(file) => (props.onFile(file), Upload.LIST_IGNORE)}
    >
      <Typography.Text strong>{props.chosen ?? t('import.drop')}</Typography.Text>
    </Upload.Dragger>
  );
}
